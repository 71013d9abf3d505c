// The floor on float-calibrated channel scales (src/quantize/quantize.ts):
// the LeNet-5 example's fc1 had one unit at 1/500 of the median scale, and
// without a floor its weights set the layer's shared α and zeroed the rest.
import { describe, expect, it } from 'vitest';
import { floorScales } from '../../src/quantize/quantize.js';

describe('floorScales', () => {
  it('raises scales below a quarter of the median to that quarter, leaves the others', () => {
    // median of the five is 7.2, so the floor is 1.8 (worked by hand)
    const out = floorScales(Float64Array.of(0.0146, 0.256, 7.2, 7.4, 14.5));
    expect(Array.from(out)).toEqual([1.8, 1.8, 7.2, 7.4, 14.5]);
  });

  it('keeps the channel order and does not modify its input', () => {
    const input = Float64Array.of(4, 0.5, 2);
    expect(Array.from(floorScales(input))).toEqual([4, 0.5, 2]); // median 2, floor 0.5
    expect(Array.from(input)).toEqual([4, 0.5, 2]);
  });
});
