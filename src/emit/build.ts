// `rram-gen build`: the whole output folder for one network — RTL (library
// modules copied, tiles/stages/top rendered), file lists, the self-checking
// testbench with its vectors, and manifest.json — rendered in memory, then
// written atomically.
import { readFileSync, readdirSync } from 'node:fs';
import { type Diagnostic, RramGenError } from '../diagnostics/index.js';
import { resolve } from 'node:path';
import { randomInputs, runBatch } from '../golden/index.js';
import type { Layer, NetIR } from '../ir/types.js';
import { GENERATOR_NAME, GENERATOR_VERSION, packagePath } from '../package-info.js';
import { type HwPlan, planNet, stageType } from '../plan/index.js';
import { fileOf, stageModule, tbModule, topModule } from './names.js';
import { render } from './templates.js';
import { GRAPH_LIBRARY } from './graph-wiring.js';
import { headerLines, macroModelViews, matrixStageView, poolStageView, concatStageView, tileViews, topView } from './view-models.js';
import { macroDescriptions, macroMarkdown } from './macro-doc.js';
import { pixelLines, resultLines } from './vectors-hex.js';
import { writeTreeAtomically } from './writer.js';
import { type EstimateOptions, type LoadedTech, estimatePlan, loadDefaultTech } from '../estimate/index.js';
import { renderReports } from '../report/index.js';
import type { XbarForm } from './xbar-form.js';
import { opFor } from '../ops/index.js';

export interface BuildOptions {
  /** Output folder; default rtl-out/<name> under the current directory. */
  outDir?: string;
  /** Input vectors for the testbench; default `tbVectors` random ones from `seed`. */
  inputs?: Int32Array[];
  tbVectors?: number;
  seed?: number;
  /** Technology table and options of the estimate reports (report.json/.md/.html). */
  tech?: LoadedTech;
  estimate?: EstimateOptions;
  /** Crossbar tiles as synthesizable RTL (default) or as black-box macros with behavioural models for simulation. */
  xbar?: XbarForm;
  /** Draw the charts of report.html (Vega; about 0.5 s of CPU to load, so off unless asked). */
  charts?: boolean;
}

export interface Manifest {
  generator: string;
  version: string;
  network: string;
  top: string;
  testbenchTop: string;
  /** How the crossbar tiles are emitted: synthesizable RTL, or black-box macros (stubs in files, models in simulationFiles). */
  xbar: XbarForm;
  /** RTL for synthesis (files.f). */
  files: string[];
  /** RTL for simulation (tb.f without the testbench): `files` with each matrix stage's crossbars replaced by behavioural models. */
  simulationFiles: string[];
  /** Data files the simulation models read with $readmemh, by paths relative to the build folder (run simulations from there). */
  simulationData: string[];
  testbenchFiles: string[];
  ports: {
    clock: string;
    reset: string;
    input: { valid: string; ready: string; data: string; width: number; channels: number; bitsPerValue: number; beatsPerImage: number };
    output: { valid: string; ready: string; class: string; classWidth: number; values: string; count: number; bitsPerValue: number; signed: boolean };
  };
  cyclesPerImage: number;
  stages: { layer: string; type: string; tap: string; channels: number; bitsPerValue: number; beatsPerImage: number; cycles: number }[];
  testbench: { images: number; command: string };
}

export interface RenderedBuild {
  plan: HwPlan;
  files: Map<string, string>;
  manifest: Manifest;
}

const LIBRARY_DIR = packagePath('templates', 'rtl');
// Library modules only the synthesizable crossbar column groups instantiate:
// simulation uses the behavioural models (templates/macro-model.sv.hbs) instead.
const CROSSBAR_LIBRARY = ['rram_adc_quant.sv', 'rram_merge.sv', 'rram_sense_amp.sv', 'rram_xbar_tile.sv'];

/**
 * Library modules only some layer types instantiate: a build carries them
 * only when the net has such a layer, so the builds of nets without them
 * stay as they were before the module existed.
 */
const LIBRARY_FOR_TYPE: Record<string, Layer['type']> = { 'rram_sumpool_reduce.sv': 'sumpool' };

/** Library modules in compile order (leaf modules first; order does not matter to the tools but is stable). */
function libraryFiles(net: NetIR): string[] {
  const used = (f: string): boolean => LIBRARY_FOR_TYPE[f] === undefined || net.layers.some((l) => l.type === LIBRARY_FOR_TYPE[f]);
  return readdirSync(LIBRARY_DIR).filter((f) => f.endsWith('.sv') && used(f)).sort();
}

export function renderBuild(net: NetIR, opts: BuildOptions = {}): RenderedBuild {
  const plan = planNet(net);
  const files = new Map<string, string>();
  const rtl: string[] = [];
  const add = (path: string, text: string, list?: string[]) => {
    files.set(path, text);
    list?.push(path);
  };
  const xbar = opts.xbar ?? 'rtl';
  const graph = plan.stages.some((s) => s.inputs !== undefined);
  for (const f of libraryFiles(net).filter((x) => graph || !GRAPH_LIBRARY.includes(x))) add(`rtl/${f}`, readFileSync(`${LIBRARY_DIR}/${f}`, 'utf8'), rtl);
  const tiles: string[] = [];
  if (xbar === 'rtl') for (const tile of tileViews(plan)) add(`rtl/${fileOf(tile.module)}`, render('tile.sv.hbs', tile), tiles);
  rtl.push(...tiles);
  // Simulation (tb.f) replaces each matrix stage's crossbars by behavioural
  // column-group models (sim-models/): in macro mode they stand for the black
  // boxes; in rtl mode a copy of the stage instantiates them instead of the
  // tiles, so a simulator computes each read once instead of every clock.
  const simulated = new Map<string, string>();
  const models: string[] = [];
  const simData: string[] = [];
  const stubs: string[] = [];
  for (const s of plan.stages) {
    const stageFile = `rtl/${fileOf(stageModule(net.name, s.layer.name))}`;
    if (s.kind === 'matrix') {
      for (const m of macroModelViews(plan, s)) {
        add(`sim-models/${fileOf(m.module)}`, render('macro-model.sv.hbs', m), models);
        add(m.dataFile, m.data, simData);
        if (xbar === 'macro') {
          const stub = { ...m, header: headerLines(`Crossbar macro c${m.index} of layer ${s.layer.name}: black box (ports only).`) };
          add(`rtl/${fileOf(m.module)}`, render('macro-stub.sv.hbs', stub), rtl);
          stubs.push(`rtl/${fileOf(m.module)}`);
        }
      }
      if (xbar === 'macro') {
        for (const d of macroDescriptions(plan, s)) {
          add(`macros/${d.module}.json`, `${JSON.stringify(d, null, 2)}\n`);
          add(`macros/${d.module}.md`, macroMarkdown(d));
        }
      } else {
        const simView = matrixStageView(plan, s, 'macro');
        const header = headerLines(`Simulation form of ${fileOf(stageModule(net.name, s.layer.name))}: the same stage with its crossbar column groups as behavioural models (sim-models/).`);
        const simFile = `sim-models/${fileOf(simView.module)}`;
        add(simFile, render(opFor(s.layer).stageTemplate, { ...simView, header }));
        simulated.set(stageFile, simFile);
      }
    }
    const view = s.kind === 'matrix' ? matrixStageView(plan, s, xbar) : s.kind === 'concat' ? concatStageView(plan, s) : poolStageView(plan, s);
    add(stageFile, render(opFor(s.layer).stageTemplate, view), rtl);
  }
  const top = topView(plan);
  add(`rtl/${fileOf(top.module)}`, render('top.sv.hbs', top), rtl);
  // The crossbar's synthesizable pieces (and the macros' stubs) have no place in simulation: the models replace them.
  const notSimulated = new Set([...stubs, ...tiles, ...CROSSBAR_LIBRARY.map((f) => `rtl/${f}`)]);
  const simRtl = [...rtl.filter((f) => !notSimulated.has(f)).map((f) => simulated.get(f) ?? f), ...models];

  const inputs = opts.inputs ?? randomInputs(net, opts.tbVectors ?? 8, opts.seed ?? 1);
  // A testbench with nothing to compare could only ever pass.
  if (inputs.length === 0) throw RramGenError.of('usage', '', 'the testbench needs at least one input vector');
  const results = runBatch(net, inputs);
  const tb = tbModule(net.name);
  const tbFile = `tb/${fileOf(tb)}`;
  const pixels = net.input.height * net.input.width;
  add(tbFile, render('testbench.sv.hbs', {
    header: headerLines(`Testbench of ${topModule(net.name)} with ${inputs.length} images from the golden model.`),
    module: tb,
    top: top.module,
    images: inputs.length,
    pixels,
    inBits: top.inMsb + 1,
    classBits: plan.output.classBits,
    valuesBits: top.valuesMsb + 1,
    // Generous: stalls cost about 2×; the pipeline fill is a few images at most.
    maxCycles: 4 * (inputs.length + plan.stages.length + 2) * plan.cyclesPerImage + 1000,
  }));
  add('tb/vectors.hex', pixelLines(net, inputs));
  add('tb/expected.hex', resultLines(net, results, plan.output.classBits));
  add('files.f', `${rtl.join('\n')}\n`);
  add('tb.f', `${[...simRtl, tbFile].join('\n')}\n`);

  const manifest = buildManifest(plan, xbar, rtl, simRtl, simData, tbFile, inputs.length);
  add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { plan, files, manifest };
}

/** The RTL plus the estimate reports (report.json/.md/.html), in memory. */
export async function renderBuildWithReports(net: NetIR, opts: BuildOptions = {}): Promise<RenderedBuild & { warnings: Diagnostic[] }> {
  const rendered = renderBuild(net, opts);
  const estimate = estimatePlan(rendered.plan, opts.tech ?? loadDefaultTech(), opts.estimate);
  for (const [name, text] of await renderReports(rendered.plan, estimate, { charts: opts.charts === true })) rendered.files.set(name, text);
  return { ...rendered, warnings: estimate.warnings };
}

/** Render the RTL and the estimate reports, then write the output folder; returns its absolute path. */
export async function buildRtl(net: NetIR, opts: BuildOptions = {}): Promise<RenderedBuild & { outDir: string; warnings: Diagnostic[] }> {
  const outDir = resolve(opts.outDir ?? `rtl-out/${net.name}`);
  const rendered = await renderBuildWithReports(net, opts);
  writeTreeAtomically(outDir, rendered.files);
  return { ...rendered, outDir };
}

function buildManifest(plan: HwPlan, xbar: XbarForm, files: string[], simulationFiles: string[], simulationData: string[], tbFile: string, images: number): Manifest {
  const { net } = plan;
  const inp = net.input;
  return {
    generator: GENERATOR_NAME,
    version: GENERATOR_VERSION,
    network: net.name,
    top: topModule(net.name),
    testbenchTop: tbModule(net.name),
    xbar,
    files,
    simulationFiles,
    simulationData,
    testbenchFiles: [...simulationFiles, tbFile],
    ports: {
      clock: 'clk_i',
      reset: 'rst_ni (asynchronous, active low)',
      input: { valid: 'in_valid_i', ready: 'in_ready_o', data: 'in_data_i', width: inp.channels * inp.bits, channels: inp.channels, bitsPerValue: inp.bits, beatsPerImage: inp.height * inp.width },
      output: {
        valid: 'out_valid_o', ready: 'out_ready_i', class: 'out_class_o', classWidth: plan.output.classBits,
        values: 'out_values_o', count: plan.output.values, bitsPerValue: plan.output.bits, signed: plan.output.signed,
      },
    },
    cyclesPerImage: plan.cyclesPerImage,
    stages: plan.stages.map((s, i) => ({
      layer: s.layer.name,
      type: stageType(s),
      tap: `l${i + 1}`,
      channels: s.outShape.channels,
      bitsPerValue: s.outShape.bits,
      beatsPerImage: s.outBeats,
      cycles: s.cycles,
    })),
    testbench: { images, command: 'iverilog -g2012 -o tb.vvp -f tb.f && vvp -n tb.vvp' },
  };
}
