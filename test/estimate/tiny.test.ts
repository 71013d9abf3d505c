// The estimate of examples/tiny.json worked by hand from the net's structure
// and the default technology table (tech/default.json), independently of the
// estimator's code. Unit costs used (pJ per operation, µm² per instance):
//
//   DAC 1b (wordline driver) /dac/0   0.0039 pJ   0.166 µm²
//   DAC 2b                   /dac/1   0.0078 pJ   0.332 µm²
//   DAC 8b                   /dac/5   0.4992 pJ  21.248 µm²
//   RRAM cell                /cell    0.00153 µm²; read energy from /device:
//     V² × G × pulse = (0.15 V)² × G × 100 ns = 2250 pJ per siemens of cell conductance;
//     2-bit cells: G = 1 µS + level × 33 µS (levels 0..3 from 1 µS to 100 µS)
//   sense amplifier          /senseAmp 0.001629 pJ 1 µm²
//   ADC 4b                   /adc/0   0.79 pJ     361 µm²
//   ADC 8b                   /adc/4   1.5625 pJ  1200 µm²  (2 mW / 1.28 GS/s)
//   adder                    /adder   0.021 pJ     60 µm²
//   comparator (per bit)     /comparator 0.0208 pJ 15 µm²
//   register (per bit)       /buffer/register 0.01194 pJ 6.588 µm²
//   read pulse               100 ns (/device/readPulseNs)
//
// The net: input 1×3×3 of 2-bit values, 3-bit weights (2-bit magnitudes: one
// 2-bit cell per side, 2 cells per weight, cell level = |w|), 4×2 crossbar tiles.
//   c1: conv 2@2×2, threshold → K = 4 rows, 2 columns, 1 tile (4×2);
//       2×2 output positions → 4 reads; 9 input beats → 9 cycles.
//       Line buffer (rram_window_gen): ((k+1)·W + k²)·C = (3·3 + 4)·1 = 13 values.
//   d1: dense 3 over the flattened 2×2×2 map, activation none → K = 8 rows,
//       3 columns, 2 row tiles × 2 column tiles = 4 tiles (4×2, 4×1, 4×2, 4×1);
//       1 read; 4 input beats. Flatten buffer: 8 values.
//       Raw sums: o0, o1 in [0, 4], o2 in [−1−2+1, 2+3+1] = [−2, 6] → 4-bit signed.
//   output: 3 values of 4 bits, not buffered (1×1 map); argmax.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';
import { estimatePlan, loadDefaultTech } from '../../src/estimate/index.js';

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('estimate of examples/tiny.json, by hand', () => {
  const plan = planNet(loadNet('examples/tiny.json').net);
  const est = estimatePlan(plan, loadDefaultTech(), { baselineBits: [8] });
  const [one, b8] = est.designs;
  const items = (d: typeof one, layer: number) => Object.fromEntries(d.layers[layer].items.map((i) => [i.tech, i]));

  it('1-bit design, c1', () => {
    const c1 = items(one, 0);
    // 2-bit input: a 2-bit DAC on each of the 4 rows; 4 reads × 4 wordlines = 16 conversions.
    expect(c1['/dac/1'].opsPerImage).toBe(16);
    close(c1['/dac/1'].energyPj, 16 * 0.0078); // 0.1248 pJ
    close(c1['/dac/1'].areaUm2, 4 * 0.332); // 1.328 µm²
    // 8 weights → 16 cells read 4 times = 64 cell reads; 1 tile of 4×2 pairs = 16 cells of area.
    // Weights 1 −1 0 1 −1 1 1 −1: levels sum to 7, so ΣG = 16 × 1 µS + 7 × 33 µS = 247 µS;
    // 2250 pJ/S × 247 µS = 0.55575 pJ per read, 4 reads.
    expect(c1['/cell'].opsPerImage).toBe(64);
    close(c1['/cell'].energyPj, 4 * 0.55575); // 2.223 pJ
    close(c1['/cell'].areaUm2, 16 * 0.00153); // 0.02448 µm²
    // 2 sense amplifiers, 4 reads × 2 = 8 decisions.
    close(c1['/senseAmp'].energyPj, 8 * 0.001629); // 0.013032 pJ
    close(c1['/senseAmp'].areaUm2, 2);
    // Line buffer: 13 values × 2 b = 26 flip-flops; (9 written + 4 windows × 4 read) × 2 b = 50 bit accesses.
    close(c1['/buffer/register'].energyPj, 50 * 0.01194); // 0.597 pJ
    close(c1['/buffer/register'].areaUm2, 26 * 6.588); // 171.288 µm²
    close(one.layers[0].energyPj, 0.1248 + 2.223 + 0.013032 + 0.597); // 2.957832 pJ
    close(one.layers[0].areaUm2, 174.64048);
  });

  it('1-bit design, d1 and output', () => {
    const d1 = items(one, 1);
    // 1-bit input: drivers on 8 rows × 2 column tiles = 16 wordlines, 1 read.
    close(d1['/dac/0'].energyPj, 16 * 0.0039); // 0.0624 pJ
    close(d1['/dac/0'].areaUm2, 16 * 0.166); // 2.656 µm²
    // 24 weights → 48 cells; 4 tiles × 4×2 × 2 = 64 cells of area.
    // |w| sum to 16: ΣG = 48 × 1 µS + 16 × 33 µS = 576 µS; one read: 2250 × 576e-6 = 1.296 pJ.
    close(d1['/cell'].energyPj, 1.296);
    close(d1['/cell'].areaUm2, 64 * 0.00153); // 0.09792 µm²
    // Raw 4-bit sums read by one 4-bit ADC per column after the analog merge: 3 ADCs, 3 conversions.
    close(d1['/adc/0'].energyPj, 3 * 0.79); // 2.37 pJ
    close(d1['/adc/0'].areaUm2, 3 * 361); // 1083 µm²
    // Flatten buffer: 8 values × 1 b; (8 written + 8 read) × 1 b = 16 bit accesses.
    close(d1['/buffer/register'].energyPj, 16 * 0.01194); // 0.19104 pJ
    close(d1['/buffer/register'].areaUm2, 8 * 6.588); // 52.704 µm²
    expect(d1['/adder']).toBeUndefined(); // analog merge: no adders
    close(one.layers[1].energyPj, 0.0624 + 1.296 + 2.37 + 0.19104); // 3.91944 pJ
    close(one.layers[1].areaUm2, 1138.45792);
    // argmax: (3 − 1) × 4 b = 8 bit compares, 8 comparator bits.
    close(one.layers[2].energyPj, 8 * 0.0208); // 0.1664 pJ
    close(one.layers[2].areaUm2, 8 * 15); // 120 µm²
  });

  it('1-bit design totals, shares and time', () => {
    close(one.energyPj, 2.957832 + 3.91944 + 0.1664); // 7.043672 pJ
    close(one.areaUm2, 174.64048 + 1138.45792 + 120); // 1433.0984 µm²
    // Interface = DACs (0.1248 + 0.0624) + sense (0.013032) + ADC (2.37) = 2.570232 pJ.
    close(one.interfaceEnergyShare, 2.570232 / 7.043672);
    // Interface area = 1.328 + 2.656 + 2 + 1083 = 1088.984 µm².
    close(one.interfaceAreaShare, 1088.984 / 1433.0984);
    expect(one.cyclesPerImage).toBe(9);
    close(one.timePerImageNs, 900); // 9 beats × 100 ns (c1 is the busiest stage)
    close(one.imagesPerSecond, 1e9 / 900);
  });

  it('8-bit baseline', () => {
    const c1 = items(b8, 0);
    // The network input stays 2-bit: same DACs. c1's threshold becomes an 8-bit ADC per column:
    // 2 ADCs, 4 reads × 2 = 8 conversions.
    close(c1['/dac/1'].energyPj, 0.1248);
    close(c1['/adc/4'].energyPj, 8 * 1.5625); // 12.5 pJ
    close(c1['/adc/4'].areaUm2, 2 * 1200); // 2400 µm²
    close(b8.layers[0].energyPj, 0.1248 + 2.223 + 12.5 + 0.597); // 15.4448 pJ
    const d1 = items(b8, 1);
    // d1 now reads 8-bit values: 16 wordlines with 8-bit DACs.
    close(d1['/dac/5'].energyPj, 16 * 0.4992); // 7.9872 pJ
    close(d1['/dac/5'].areaUm2, 16 * 21.248); // 339.968 µm²
    // Every row tile digitized: columns 2 + 1 + 2 + 1 = 6 ADCs at the read-out's 4 bits, 6 conversions.
    close(d1['/adc/0'].energyPj, 6 * 0.79); // 4.74 pJ
    close(d1['/adc/0'].areaUm2, 6 * 361); // 2166 µm²
    // (2 row tiles − 1) × 3 columns = 3 adders, 3 additions.
    close(d1['/adder'].energyPj, 3 * 0.021); // 0.063 pJ
    close(d1['/adder'].areaUm2, 3 * 60); // 180 µm²
    // Flatten buffer: 8 values × 8 b = 64 flip-flops; (8 + 8) × 8 = 128 bit accesses.
    close(d1['/buffer/register'].energyPj, 128 * 0.01194); // 1.52832 pJ
    close(d1['/buffer/register'].areaUm2, 64 * 6.588); // 421.632 µm²
    close(b8.layers[1].energyPj, 7.9872 + 1.296 + 4.74 + 0.063 + 1.52832); // 15.61452 pJ
    close(b8.energyPj, 15.4448 + 15.61452 + 0.1664); // 31.22572 pJ
    close(b8.areaUm2, (1.328 + 0.02448 + 2400 + 171.288) + (339.968 + 0.09792 + 2166 + 180 + 421.632) + 120); // 5800.3384 µm²
  });

  it('savings', () => {
    expect(est.savings).toHaveLength(1);
    close(est.savings[0].energySaving, 1 - 7.043672 / 31.22572); // 77.4 %
    close(est.savings[0].areaSaving, 1 - 1433.0984 / 5800.3384); // 75.3 %
    close(est.savings[0].energyRatio, 31.22572 / 7.043672);
  });
});
