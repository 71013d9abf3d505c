// The threshold method over a graph (residual adds, concats, forks): the
// float network's layers are decided in topological order, each from the
// integer levels its input layers already emit.
//   - conv/dense + ReLU: a threshold layer (1-bit) or, with actBits K > 1, a
//     K-bit ADC, as in the chain method (quantize.ts);
//   - y = relu(conv(h) + x): the conv keeps activation `none` (its raw
//     accumulator) and an `add` layer takes it with weight 1 plus the skip x
//     with integer per-channel weights: x's float value (what its 1 stands
//     for, from its own threshold) in the conv's accumulator units. The
//     conv's α is made coarse enough that those weights are whole numbers, so
//     the skip is exact; the add's threshold is searched like any other;
//   - max-pool and concat: nothing to decide (a concat of 1-bit maps is 1 bit).
// Each threshold candidate is scored on an evenly spaced subset of the
// training images by the network as it would then be: decided layers as the
// float values their levels stand for, later layers in float (the chain
// method uses provisional 8-bit layers there; over a graph the float tail
// plays that role without a golden model of half-built graphs). A pre-scan on
// a few hundred images keeps the best few candidates, scored on the whole
// subset. The final read-out's ADC is chosen on the same subset.
import { RramGenError } from '../diagnostics/index.js';
import type { Activation } from '../ir/types.js';
import { spacedSubset, type DataSet } from './dataset.js';
import { type Chw, type FloatLayer, type FloatMatrix, type FloatNet, argmaxFloat, floatForward, floatInputs, floatLayer, isFloatMatrix } from './float-net.js';
import { isSquareWindow } from '../ops/window.js';
import { type IntNode, activateInPlace, nodeAccumulators, runIntGraph } from './graph-int.js';
import { type IntMatrix, type Segment, ceilDiv, quantizeMatrix } from './integer.js';
import type { LayerReport, QuantizeEvent } from './quantize.js';
import { chooseReadout } from './readout.js';
import { floorScales, percentileOfSorted } from './scales.js';

export interface GraphOptions {
  weightBits: number;
  inputBits: number;
  actBits: number;
  grid: number;
  percentile: number;
  readout: 'adc' | 'none';
  readoutBits: number;
  calibration: number;
  /** Training images (evenly spaced) every candidate is scored on. */
  searchImages: number;
}

/** Candidates kept after the pre-scan, and the pre-scan's images. */
const FINALISTS = 3;
const PRESCAN_IMAGES = 150;
export const GRAPH_SEARCH_IMAGES = 1000;

type Kind = 'threshold' | 'raw' | 'add' | 'pass' | 'final';

export interface GraphQuantized {
  nodes: IntNode[];
  shapes: Chw[];
  /** Layer names in net.json, in order. */
  names: string[];
  reports: LayerReport[];
  /** The images the search scored on, and how many the emitted network gets right (its own prediction). */
  search: DataSet;
  predictedCorrect: number;
}

/** Decides every layer of a float graph; the caller writes the document (graph-doc.ts) and checks it. */
export function quantizeGraph(float: FloatNet, train: DataSet, o: GraphOptions, emit: (e: QuantizeEvent) => void, file: string): GraphQuantized {
  return new GraphQuantizer(float, spacedSubset(train, Math.min(train.n, o.searchImages)), o, emit, file).run();
}

class GraphQuantizer {
  private readonly n: number;
  private readonly size: number;
  private readonly kinds: Kind[];
  private readonly names: string[];
  /** Per decided layer: its integer levels on every search image (n × features), and the float value per level and at level 0 of each channel. */
  private readonly levels: (Float64Array | undefined)[] = [];
  private readonly units: Float64Array[] = [];
  private readonly shifts: Float64Array[] = [];
  private readonly nodes: IntNode[] = [];
  private readonly inputLevels: Float64Array;
  private readonly inputUnits: Float64Array;
  private floatScale: (Float64Array | undefined)[] = [];

  constructor(private readonly float: FloatNet, private readonly set: DataSet, private readonly o: GraphOptions,
    private readonly emit: (e: QuantizeEvent) => void, private readonly file: string) {
    this.n = set.n;
    this.size = set.pixels.length / set.n;
    const shift = 8 - o.inputBits;
    this.inputLevels = Float64Array.from(set.pixels, (p) => p >> shift);
    this.inputUnits = new Float64Array(float.input.channels).fill(1 / (2 ** o.inputBits - 1));
    this.kinds = this.classify();
    this.names = layerNames(float.layers);
  }

  run(): GraphQuantized {
    const { float, o } = this;
    if (o.actBits > 1) this.floatScale = this.floatScales();
    const reports: LayerReport[] = [];
    const hidden = this.kinds.filter((k) => k === 'threshold' || k === 'add').length;
    let h = 0;
    float.layers.forEach((layer, i) => {
      const t0 = Date.now();
      const kind = this.kinds[i];
      if (kind === 'raw') return;
      if (kind === 'pass') { this.pass(i); return; }
      if (kind === 'final') { this.final(i); return; }
      this.emit({ type: 'layer', layer: this.names[i], index: h++, of: hidden, candidates: o.actBits === 1 ? o.grid + 1 : 0 });
      const report = kind === 'add' ? this.add(i) : this.thresholdOrAdc(i, layer as FloatMatrix);
      report.seconds = (Date.now() - t0) / 1000;
      reports.push(report);
      this.emit({ type: 'layer-done', report });
    });
    const last = float.layers.length - 1;
    const finalReport = this.readout(last);
    reports.push(finalReport);
    this.emit({ type: 'layer-done', report: finalReport });
    return { nodes: this.nodes, shapes: float.shapes, names: this.names, reports, search: this.set, predictedCorrect: finalReport.trainCorrect! };
  }

  // ---- the layers -------------------------------------------------------------

  /** What each layer becomes; what the method cannot map is an error naming the node. */
  private classify(): Kind[] {
    const { float } = this;
    const readers = float.layers.map(() => [] as number[]);
    float.layers.forEach((_, i) => floatInputs(float, i).forEach((j) => { if (j >= 0) readers[j].push(i); }));
    const last = float.layers.length - 1;
    const fail = (l: FloatLayer, why: string): never => { throw RramGenError.of('onnx-unsupported', '', `${l.node}: ${why}`, this.file); };
    return float.layers.map((l, i) => {
      // What the graph method handles so far (docs/quantize.md, "Graphs"): the chain method takes the rest.
      if (l.type === 'avgpool') fail(l, 'average pooling in a graph model is not supported yet (only in a chain)');
      if (l.type === 'conv' && (l.groups !== 1 || !isSquareWindow(l.window))) fail(l, 'a grouped or non-square-window conv in a graph model is not supported yet (only in a chain)');
      if (l.type === 'maxpool' && (!isSquareWindow(l.window) || l.window.padTop !== 0)) fail(l, 'a padded or rectangular max-pool in a graph model is not supported yet (only in a chain)');
      if ('activation' in l && l.activation.type !== 'relu' && l.activation.type !== 'identity') {
        fail(l, `activation ${l.activation.type} in a graph model is not supported yet (ReLU only; other activations in a chain)`);
      }
      if (l.type === 'maxpool' || l.type === 'concat') {
        if (i === last) fail(l, 'the network must end in a conv or dense layer');
        if (floatInputs(float, i).some((j) => j < 0) && l.type === 'maxpool') fail(l, 'max-pooling the input image is not supported');
        return 'pass';
      }
      if (l.type === 'add') {
        if (!isRelu(l)) fail(l, 'a residual Add without a Relu after it is not supported (each hidden map is thresholded)');
        const raw = floatInputs(float, i).filter((j) => j >= 0 && isFloatMatrix(float.layers[j]) && !isRelu(float.layers[j]));
        if (raw.length > 1) fail(l, 'adds two layers without Relu; at most one input of an Add may be a raw conv/dense output');
        return 'add';
      }
      if (i === last) return 'final';
      if (isRelu(l)) return 'threshold';
      if (readers[i].length === 1 && float.layers[readers[i][0]].type === 'add') return 'raw';
      return fail(l, 'a hidden layer without Relu is not supported unless its only reader is a residual Add (the method turns each hidden ReLU into a threshold)');
    });
  }

  private inputsOf(i: number): number[] {
    return floatInputs(this.float, i);
  }

  private unitsOf(j: number): Float64Array { return j < 0 ? this.inputUnits : this.units[j]; }
  private shiftOf(j: number): Float64Array | undefined { return j < 0 ? undefined : this.shifts[j]; }
  private shapeOf(j: number): Chw { return j < 0 ? this.float.input : this.float.shapes[j]; }
  private levelsOf(j: number): Float64Array { return j < 0 ? this.inputLevels : this.levels[j]!; }
  private features(j: number): number { const s = this.shapeOf(j); return s.channels * s.height * s.width; }

  /** A one-layer segment of the chain method's helpers (quantizeMatrix reads its matrix and input shape). */
  private segment(i: number): Segment {
    const l = this.float.layers[i] as FloatMatrix;
    const inShape = this.shapeOf(this.inputsOf(i)[0]);
    return { matrix: l, index: i, pools: [], inShape, outShape: this.float.shapes[i], pooledShape: this.float.shapes[i], name: this.names[i], poolNames: [] };
  }

  /** Accumulators (or outputs, for pass nodes) of node i on every search image, from its inputs' levels. */
  private accumulators(node: IntNode, i: number, activate = false): Float64Array {
    const inputs = node.inputs;
    const F = this.features(i);
    const out = new Float64Array(this.n * F);
    const sizes = inputs.map((j) => this.features(j));
    const shapes = inputs.map((j) => this.shapeOf(j));
    for (let img = 0; img < this.n; img++) {
      const xs = inputs.map((j, k) => this.levelsOf(j).subarray(img * sizes[k], (img + 1) * sizes[k]));
      const acc = nodeAccumulators(node, xs, shapes, this.float.shapes[i]);
      out.set(activate ? activateInPlace(node, acc, this.float.shapes[i]) : acc, img * F);
    }
    return out;
  }

  private pass(i: number): void {
    const l = this.float.layers[i] as Extract<FloatLayer, { type: 'maxpool' | 'concat' }>;
    const node: IntNode = { kind: 'pass', float: l, inputs: this.inputsOf(i) };
    this.nodes[i] = node;
    this.levels[i] = this.accumulators(node, i);
    const ins = node.inputs;
    // Max-pooling v = level·unit + shift with unit > 0 is max-pooling the levels; a concat stacks the channels.
    this.units[i] = l.type === 'maxpool' ? this.unitsOf(ins[0]) : concatArrays(ins.map((j) => this.unitsOf(j)));
    this.shifts[i] = l.type === 'maxpool' ? (this.shiftOf(ins[0]) ?? new Float64Array(this.units[i].length))
      : concatArrays(ins.map((j) => this.shiftOf(j) ?? new Float64Array(this.unitsOf(j).length)));
  }

  private thresholdOrAdc(i: number, l: FloatMatrix): LayerReport {
    const { o } = this;
    const j = this.inputsOf(i)[0];
    const oneBit = o.actBits === 1;
    const m = quantizeMatrix(this.segment(i), this.unitsOf(j), o.weightBits, oneBit, oneBit ? undefined : this.floatScale[i], this.shiftOf(j));
    const node: Extract<IntNode, { kind: 'matrix' }> = { kind: 'matrix', float: l, m, activation: { type: 'none' }, inputs: [j] };
    const acc = this.accumulators(node, i);
    const colUnit = oneBit ? m.alpha : Float64Array.from(this.floatScale[i]!, (s) => s * m.alpha[0]);
    const r = this.activation(i, acc, colUnit);
    node.activation = r.activation;
    this.nodes[i] = node;
    return r.report;
  }

  /** A residual add: its raw conv/dense input (weight 1) decided with it, the other inputs weighted by what their levels stand for. */
  private add(i: number): LayerReport {
    const { o, float } = this;
    const inputs = this.inputsOf(i);
    const rawAt = inputs.findIndex((j) => j >= 0 && this.kinds[j] === 'raw');
    const C = float.shapes[i].channels;
    const q = 2 ** (o.weightBits - 1) - 1;
    const oneBit = o.actBits === 1;
    const scale = oneBit ? new Float64Array(C).fill(1) : this.floatScale[i]!;
    const others = inputs.map((j, k) => (k === rawAt ? undefined : j));
    // Column c's accumulator unit is alpha[c]·scale[c]: the largest other input must fit in ±q.
    const need = new Float64Array(C);
    for (const j of others) if (j !== undefined) for (let c = 0; c < C; c++) need[c] = Math.max(need[c], this.unitsOf(j)[c] / (scale[c] * q));
    let m: IntMatrix | undefined;
    let alpha: Float64Array;
    if (rawAt >= 0) {
      const r = inputs[rawAt];
      const seg = this.segment(r);
      const jr = this.inputsOf(r)[0];
      const first = quantizeMatrix(seg, this.unitsOf(jr), o.weightBits, oneBit, oneBit ? undefined : scale, this.shiftOf(jr));
      // With one other input, make its weight a whole number: α = unit / k, k = ⌊unit/α₀⌋ (≥ α₀, so the conv's weights still fit).
      const single = others.filter((j) => j !== undefined);
      const floor = Float64Array.from({ length: C }, (_, c) => {
        if (!oneBit || single.length !== 1) return oneBit ? need[c] : Math.max(...need);
        const u = this.unitsOf(single[0]!)[c];
        const k = Math.min(q, Math.floor(u / first.alpha[c]));
        return k >= 1 ? u / k : need[c];
      });
      m = quantizeMatrix(seg, this.unitsOf(jr), o.weightBits, oneBit, oneBit ? undefined : scale, this.shiftOf(jr), floor);
      alpha = m.alpha;
      this.nodes[r] = { kind: 'matrix', float: float.layers[r] as FloatMatrix, m, activation: { type: 'none' }, inputs: [jr] };
    } else {
      const shared = Math.max(...need);
      alpha = Float64Array.from(need, (v) => (oneBit ? v : shared) || 1);
    }
    const colUnit = Float64Array.from(alpha, (a, c) => a * scale[c]);
    const weights = inputs.map((j, k) => (k === rawAt ? new Int32Array(C).fill(1)
      : Int32Array.from({ length: C }, (_, c) => Math.max(-q, Math.min(q, Math.round(this.unitsOf(j)[c] / colUnit[c]))))));
    const bias = Int32Array.from({ length: C }, (_, c) => {
      let b = 0;
      for (const j of others) if (j !== undefined) b += (this.shiftOf(j)?.[c] ?? 0) / colUnit[c];
      return Math.round(b);
    });
    const node: Extract<IntNode, { kind: 'add' }> = { kind: 'add', weights, bias, activation: { type: 'none' }, inputs };
    // The raw input's accumulators stand in as its levels while the add's are computed (never as a decided map).
    if (rawAt >= 0) this.levels[inputs[rawAt]] = this.accumulators(this.nodes[inputs[rawAt]], inputs[rawAt], true);
    const acc = this.accumulators(node, i);
    if (rawAt >= 0) this.levels[inputs[rawAt]] = undefined;
    const r = this.activation(i, acc, colUnit);
    node.activation = r.activation;
    this.nodes[i] = node;
    return r.report;
  }

  /**
   * Layer i's activation from its accumulators on the search images (`colUnit`: the float
   * value of one accumulator unit per column): the threshold search, or the K-bit ADC.
   * Sets the layer's levels, units and shifts.
   */
  private activation(i: number, acc: Float64Array, colUnit: Float64Array): { activation: Activation; report: LayerReport } {
    const { o, float } = this;
    const shape = float.shapes[i];
    const O = shape.channels;
    const P = shape.height * shape.width;
    if (o.actBits > 1) {
      const all = new Float32Array(acc.length);
      for (let k = 0; k < acc.length; k++) all[k] = Math.max(0, acc[k]);
      all.sort();
      const top = Math.max(1, percentileOfSorted(all, o.percentile) || all[all.length - 1]);
      const step = Math.max(1, Math.round(top / (2 ** o.actBits - 1)));
      const activation: Activation = { type: 'adc', bits: o.actBits, offset: -Math.floor(step / 2), step };
      const f = (v: number): number => Math.min(Math.max(Math.floor((v - activation.offset) / step), 0), 2 ** o.actBits - 1);
      this.levels[i] = acc.map(f);
      this.units[i] = Float64Array.from(colUnit, (u) => u * step);
      this.shifts[i] = new Float64Array(O);
      return { activation, report: { name: this.names[i], activation: 'adc', adc: { bits: o.actBits, offset: activation.offset, step }, seconds: 0 } };
    }
    // a. re-scaling: S[c] accumulator units ≙ activation 1.0 of channel c.
    const S = new Float64Array(O);
    const column = new Float32Array(this.n * P);
    for (let c = 0; c < O; c++) {
      for (let img = 0; img < this.n; img++) for (let q = 0; q < P; q++) column[img * P + q] = Math.max(0, acc[img * O * P + c * P + q]);
      column.sort();
      const s = percentileOfSorted(column, o.percentile);
      S[c] = Math.max(1, s > 0 ? s : column[column.length - 1]);
    }
    const cands: { t: number; T: Int32Array }[] = [];
    for (let k = 0; k <= o.grid; k++) {
      const T = Int32Array.from(S, (s) => ceilDiv(k * s, o.grid));
      const prev = cands[cands.length - 1];
      if (prev === undefined || prev.T.some((v, c) => v !== T[c])) cands.push({ t: k / o.grid, T });
    }
    // What a 1 of channel c stands for under each candidate, and what the 0s miss on average.
    const stats = cands.map(({ T }) => {
      const one = new Float64Array(O);
      const shift = new Float64Array(O);
      for (let c = 0; c < O; c++) {
        let above = 0; let ones = 0; let below = 0;
        for (let img = 0; img < this.n; img++) {
          for (let q = 0; q < P; q++) {
            const v = acc[img * O * P + c * P + q];
            if (v >= T[c]) { above += v; ones++; } else if (v > 0) below += v;
          }
        }
        one[c] = (ones > 0 && above > 0 ? above / ones : S[c]) * colUnit[c];
        shift[c] = (below / (this.n * P)) * colUnit[c];
      }
      return { one, shift };
    });
    /** Candidate k's map on image img (all images: img −1). */
    const bitsOf = (k: number, img: number): Float64Array => {
      const T = cands[k].T;
      const [from, to] = img < 0 ? [0, this.n] : [img, img + 1];
      const out = new Float64Array((to - from) * O * P);
      for (let m = from; m < to; m++) for (let c = 0; c < O; c++) for (let q = 0; q < P; q++) {
        const f = (m - from) * O * P + c * P + q;
        out[f] = acc[m * O * P + c * P + q] >= T[c] ? 1 : 0;
      }
      return out;
    };
    const scored = this.search(i, cands.map((_, k) => k), bitsOf, stats);
    const best = scored.candidate;
    this.levels[i] = bitsOf(best, -1);
    this.units[i] = stats[best].one;
    this.shifts[i] = stats[best].shift;
    const T = cands[best].T;
    return {
      activation: { type: 'threshold', thresholds: T },
      report: {
        name: this.names[i], activation: 'threshold', t: cands[best].t, thresholds: { min: Math.min(...T), max: Math.max(...T) },
        candidates: cands.length, fullyScored: scored.fullyScored, imagesScored: scored.imagesScored, trainCorrect: scored.correct, seconds: 0,
      },
    };
  }

  /**
   * Scores candidates of layer i: each image runs the layers not yet decided in
   * float from the decided ones' values (level·unit + shift) and the
   * candidate's map. Pre-scan on a few hundred images, then the best few on all
   * of them (ties: the lower candidate, i.e. the smaller t).
   */
  private search(i: number, cands: number[], bitsOf: (k: number, img: number) => Float64Array, stats: { one: Float64Array; shift: Float64Array }[]):
    { candidate: number; correct: number; fullyScored: number; imagesScored: number } {
    const { n } = this;
    const pre = Math.min(n, PRESCAN_IMAGES);
    const preImages = Array.from({ length: pre }, (_, k) => Math.floor((k * n) / pre));
    const count = (ks: number[], images: number[]): number[] => {
      const correct = ks.map(() => 0);
      for (const img of images) {
        const fixed = this.decidedValues(img);
        ks.forEach((k, at) => {
          const bits = bitsOf(k, img);
          fixed.set(i, reconstruct(bits, stats[k].one, stats[k].shift, this.float.shapes[i]));
          if (argmaxFloat(this.tail(img, fixed)) === this.set.labels[img]) correct[at]++;
        });
      }
      return correct;
    };
    const preCorrect = cands.length > FINALISTS ? count(cands, preImages) : cands.map(() => 0);
    const finalists = cands.map((k, at) => ({ k, c: preCorrect[at] })).sort((a, b) => b.c - a.c || a.k - b.k).slice(0, FINALISTS).map((x) => x.k).sort((a, b) => a - b);
    const all = Array.from({ length: n }, (_, k) => k);
    const full = count(finalists, all);
    let best = 0;
    for (let at = 1; at < finalists.length; at++) if (full[at] > full[best]) best = at;
    return { candidate: finalists[best], correct: full[best], fullyScored: finalists.length, imagesScored: (cands.length > FINALISTS ? pre * cands.length : 0) + n * finalists.length };
  }

  /** The float values the decided layers stand for on search image img. */
  private decidedValues(img: number): Map<number, Float64Array> {
    const fixed = new Map<number, Float64Array>();
    const F = this.size;
    const input = new Float64Array(F);
    for (let k = 0; k < F; k++) input[k] = this.inputLevels[img * F + k] * this.inputUnits[0];
    fixed.set(-1, input);
    this.float.layers.forEach((_, j) => {
      const lv = this.levels[j];
      if (lv === undefined) return;
      const Fj = this.features(j);
      fixed.set(j, reconstruct(lv.subarray(img * Fj, (img + 1) * Fj), this.units[j], this.shifts[j], this.float.shapes[j]));
    });
    return fixed;
  }

  /** The float network's logits with the layers in `fixed` replaced by those values. */
  private tail(_img: number, fixed: Map<number, Float64Array>): Float64Array {
    const { float } = this;
    const outs = new Map(fixed);
    float.layers.forEach((layer, j) => {
      if (outs.has(j)) return;
      const ins = floatInputs(float, j);
      outs.set(j, floatLayer(layer, ins.map((k) => outs.get(k)!), ins.map((k) => this.shapeOf(k)), float.shapes[j]));
    });
    return outs.get(float.layers.length - 1)!;
  }

  private final(i: number): void {
    const j = this.inputsOf(i)[0];
    const m = quantizeMatrix(this.segment(i), this.unitsOf(j), this.o.weightBits, false, undefined, this.shiftOf(j));
    this.nodes[i] = { kind: 'matrix', float: this.float.layers[i] as FloatMatrix, m, activation: { type: 'none' }, inputs: [j] };
  }

  /** The final layer's read-out, chosen on the search images with the network as emitted. */
  private readout(i: number): LayerReport {
    const { o, n } = this;
    this.emit({ type: 'phase', text: `${this.names[i]}: choosing the ${o.readout === 'adc' ? `${o.readoutBits}-bit ADC` : 'raw'} read-out` });
    const O = this.float.shapes[i].channels;
    const acc = new Int32Array(n * O);
    for (let img = 0; img < n; img++) {
      const input = this.inputLevels.subarray(img * this.size, (img + 1) * this.size);
      acc.set(runIntGraph(this.nodes, this.float.shapes, this.float.input, input), img * O);
    }
    const node = this.nodes[i] as Extract<IntNode, { kind: 'matrix' }>;
    if (o.readout === 'none') {
      let correct = 0;
      for (let img = 0; img < n; img++) if (argmaxFloat(Float64Array.from(acc.subarray(img * O, (img + 1) * O))) === this.set.labels[img]) correct++;
      return { name: this.names[i], activation: 'none', trainCorrect: correct, seconds: 0 };
    }
    const r = chooseReadout(acc, this.set.labels, O, o.readoutBits);
    node.activation = { type: 'adc', bits: o.readoutBits, offset: r.offset, step: r.step };
    return { name: this.names[i], activation: 'adc', adc: { bits: o.readoutBits, offset: r.offset, step: r.step }, trainCorrect: r.correct, seconds: 0 };
  }

  /** ADC mode: per hidden layer and channel, the percentile of its float activations on a calibration subset. */
  private floatScales(): (Float64Array | undefined)[] {
    const { float, set, o } = this;
    const m = Math.min(o.calibration, set.n);
    const hidden = this.kinds.map((k) => k === 'threshold' || k === 'add');
    const values = float.shapes.map((s, i) => (hidden[i] ? Array.from({ length: s.channels }, () => new Float32Array(m * s.height * s.width)) : undefined));
    const input = new Float64Array(this.size);
    for (let k = 0; k < m; k++) {
      const img = Math.floor((k * set.n) / m);
      for (let p = 0; p < this.size; p++) input[p] = Math.fround(set.pixels[img * this.size + p] / 255);
      floatForward(float, input, (i, out) => {
        const v = values[i];
        if (v === undefined) return;
        const P = float.shapes[i].height * float.shapes[i].width;
        v.forEach((chan, c) => chan.set(out.subarray(c * P, (c + 1) * P), k * P));
      });
    }
    return values.map((chans) => chans && floorScales(Float64Array.from(chans, (v) => {
      v.sort();
      const s = percentileOfSorted(v, o.percentile);
      return s > 0 ? s : v[v.length - 1] > 0 ? v[v.length - 1] : 1;
    })));
  }
}

/** level·unit[c] + shift[c] over a C×H×W map. */
function reconstruct(levels: Float64Array, unit: Float64Array, shift: Float64Array, shape: Chw): Float64Array {
  const P = shape.height * shape.width;
  const out = new Float64Array(levels.length);
  for (let c = 0; c < shape.channels; c++) for (let q = 0; q < P; q++) out[c * P + q] = levels[c * P + q] * unit[c] + shift[c];
  return out;
}

function concatArrays(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** net.json names: conv1.., fc1.., pool1.., add1.., cat1.. in layer order. */
export function layerNames(layers: FloatLayer[]): string[] {
  const counts: Record<string, number> = {};
  const prefix: Record<FloatLayer['type'], string> = { conv: 'conv', dense: 'fc', maxpool: 'pool', avgpool: 'pool', add: 'add', concat: 'cat' };
  return layers.map((l) => `${prefix[l.type]}${(counts[l.type] = (counts[l.type] ?? 0) + 1)}`);
}

/** A layer whose activation is ReLU (the graph method thresholds ReLU outputs only). */
function isRelu(l: FloatLayer): boolean {
  return 'activation' in l && l.activation.type === 'relu';
}
