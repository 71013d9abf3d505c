// The diagnosis's arithmetic and causes on hand-made reports.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/quantize/diagnose.js';
import type { LayerReport } from '../../src/quantize/quantize.js';

const layer = (name: string, trainCorrect: number, extra: Partial<LayerReport> = {}): LayerReport =>
  ({ name, activation: 'threshold', trainCorrect, seconds: 0, ...extra });

describe('diagnose', () => {
  it('charges each layer the training accuracy it lost and names the narrow conv layer', () => {
    // float 99.00 % → conv1 98.50 → conv2 97.00 (re-fit kept: 97.20) → read-out 97.10, of 1000 images
    const reports = [layer('conv1', 985), layer('conv2', 970, { refit: { images: 1000, trainCorrect: 972, kept: true, seconds: 0 } }),
      { ...layer('fc1', 971), activation: 'adc' as const }, layer('conv1', 990, { pass: 2 })];
    const shapes = [{ name: 'conv1', kind: 'conv' as const, channels: 16, positions: 144 }, { name: 'conv2', kind: 'conv' as const, channels: 4, positions: 16 }];
    const d = diagnose(reports, shapes, 1000, 99, 1000, 97.1);
    expect(d.layers).toEqual([
      { name: 'conv1', trainAccuracy: 98.5, cost: 0.5 },
      { name: 'conv2', trainAccuracy: 97.2, cost: 1.3 },
      { name: 'fc1', trainAccuracy: 97.1, cost: 0.1 },
    ]);
    expect(d.trainLoss).toBe(1.9);
    expect(d.worst?.name).toBe('conv2');
    expect(d.worst?.cause).toMatch(/^4 channels carry one bit each/);
    expect(d.worst?.advice).toMatch(/widen it to 16 channels/);
  });

  it('names a narrow dense layer, a small map, and the read-out; nothing when no layer costs', () => {
    const shapes = [{ name: 'fc1', kind: 'dense' as const, channels: 32, positions: 1 }, { name: 'conv1', kind: 'conv' as const, channels: 16, positions: 9 }];
    const dense = diagnose([layer('fc1', 900), layer('fc2', 899)], shapes, 1000, 95, 1000, 89.9);
    expect(dense.worst?.cause).toMatch(/dense layer of 32 units passes only 32 bits/);
    const small = diagnose([layer('conv1', 900), layer('fc2', 899)], shapes, 1000, 95, 1000, 89.9);
    expect(small.worst?.cause).toMatch(/only 144 bits/);
    const readout = diagnose([layer('conv1', 949), layer('fc2', 900)], shapes, 1000, 95, 1000, 90);
    expect(readout.worst?.name).toBe('fc2');
    expect(readout.worst?.cause).toMatch(/read-out ADC/);
    expect(diagnose([layer('conv1', 950), layer('fc2', 950)], shapes, 1000, 95, 1000, 95).worst).toBeUndefined();
  });
});
