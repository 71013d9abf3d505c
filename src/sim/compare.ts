// Compares what the RTL produced with the golden model: every beat of every
// inter-layer stream, then the result beat, image by image. A failing image
// is reported at the earliest layer, position and channel that differ.
import type { RunResult } from '../golden/index.js';
import type { NetIR } from '../ir/types.js';
import type { HwPlan } from '../plan/index.js';
import { type HarnessLog, unpackHex } from './harness-log.js';

export interface Mismatch {
  image: number;
  /** Layer name, or "result" for the output beat (class and values). */
  layer: string;
  layerIndex: number;
  position?: { y: number; x: number };
  channel?: number;
  rtl: number | string;
  golden: number | string;
  detail: string;
}

export function compareRun(net: NetIR, plan: HwPlan, golden: RunResult[], log: HarnessLog): { passed: number; firstMismatch?: Mismatch } {
  let passed = 0;
  let firstMismatch: Mismatch | undefined;
  golden.forEach((g, image) => {
    const m = compareImage(net, plan, g, image, log);
    if (m === undefined) passed++;
    else firstMismatch ??= m;
  });
  return { passed, ...(firstMismatch ? { firstMismatch } : {}) };
}

function compareImage(net: NetIR, plan: HwPlan, g: RunResult, image: number, log: HarnessLog): Mismatch | undefined {
  for (let li = 0; li < plan.stages.length; li++) {
    const stage = plan.stages[li];
    const { channels: C, height: H, width: W, bits, signed } = stage.outShape;
    const layer = stage.layer.name;
    const beats = log.taps.get(li + 1) ?? [];
    // A graph's fused conv/dense has no stream of its own: a stage is compared with its layer's trace.
    const want = g.trace![stage.layer.index].values;
    for (let p = 0; p < H * W; p++) {
      const hex = beats[image * H * W + p];
      const position = { y: Math.floor(p / W), x: p % W };
      if (hex === undefined) {
        return { image, layer, layerIndex: li, position, rtl: 'no beat', golden: 'a beat', detail: `the RTL produced only ${beats.length - image * H * W} of ${H * W} beats of image ${image}` };
      }
      const got = unpackHex(hex, C, bits, signed);
      for (let c = 0; c < C; c++) {
        const expected = want[c * H * W + p];
        if (got[c] !== expected) {
          return { image, layer, layerIndex: li, position, channel: c, rtl: got[c], golden: expected, detail: `${layer} output (y=${position.y}, x=${position.x}) channel ${c}: RTL ${got[c]}, golden ${expected}` };
        }
      }
    }
  }
  const r = log.results[image];
  const out = net.output;
  const count = out.channels * out.height * out.width;
  if (r === undefined) return { image, layer: 'result', layerIndex: plan.stages.length, rtl: 'none', golden: g.answer, detail: 'no result beat' };
  const values = unpackHex(r.values, count, out.bits, out.signed);
  for (let i = 0; i < count; i++) {
    if (values[i] !== g.output[i]) {
      return { image, layer: 'result', layerIndex: plan.stages.length, channel: i, rtl: values[i], golden: g.output[i], detail: `result value ${i}: RTL ${values[i]}, golden ${g.output[i]}` };
    }
  }
  if (r.class !== g.answer) {
    return { image, layer: 'result', layerIndex: plan.stages.length, rtl: r.class, golden: g.answer, detail: `class: RTL ${r.class}, golden ${g.answer}` };
  }
  return undefined;
}
