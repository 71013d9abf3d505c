// Which hardware features a set of random nets exercises, so the regression
// can prove its seeds still cover what the issue lists (a change to the
// random generator must not silently drop, say, strided convolutions).
import type { NetIR } from '../../src/ir/types.js';
import { planNet } from '../../src/plan/index.js';

export const FEATURES = [
  'conv stride > 1', 'conv padding', 'kernel not dividing the map', 'several row tiles', 'several column tiles',
  'maxpool', 'dense after conv', 'multi-bit network input', 'multi-bit ADC hidden layer', 'raw final layer',
] as const;
export type Feature = (typeof FEATURES)[number];

export function featuresOf(net: NetIR): Set<Feature> {
  const f = new Set<Feature>();
  const plan = planNet(net);
  if (net.input.bits > 1) f.add('multi-bit network input');
  plan.stages.forEach((s, i) => {
    const l = s.layer;
    const last = i === plan.stages.length - 1;
    if (l.type === 'maxpool') f.add('maxpool');
    if (l.type === 'conv') {
      const w = l.window;
      if (w.strideH > 1) f.add('conv stride > 1');
      if (w.padTop > 0) f.add('conv padding');
      if ((l.inShape.height + w.padTop + w.padBottom - w.kernelH) % w.strideH !== 0) f.add('kernel not dividing the map');
    }
    if (l.type === 'dense' && l.inShape.height * l.inShape.width > 1) f.add('dense after conv');
    if (s.kind === 'matrix') {
      if (s.rowTiles > 1) f.add('several row tiles');
      if (s.colTiles > 1) f.add('several column tiles');
      if (!last && s.layer.activation.type === 'adc') f.add('multi-bit ADC hidden layer');
      if (last && s.layer.activation.type === 'none') f.add('raw final layer');
    }
  });
  return f;
}
