// Parses the Verilator harness log (sim/harness.cpp): tap beats, result
// beats and the final cycle count.

export interface HarnessLog {
  /** Hex data of every beat, per tap index (1 = first stage's output). */
  taps: Map<number, string[]>;
  results: { cycle: number; class: number; values: string }[];
  cycles: number;
}

export function parseHarnessLog(text: string): HarnessLog {
  const taps = new Map<number, string[]>();
  const results: HarnessLog['results'] = [];
  let cycles = 0;
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'T') {
      const tap = Number(f[1]);
      let beats = taps.get(tap);
      if (beats === undefined) taps.set(tap, (beats = []));
      beats.push(f[2]);
    } else if (f[0] === 'R') {
      results.push({ cycle: Number(f[1]), class: parseInt(f[2], 16), values: f[3] });
    } else if (f[0] === 'E') {
      cycles = Number(f[1]);
    }
  }
  return { taps, results, cycles };
}

/** `count` fields of `bits` each from hex text (field 0 in the lowest bits). */
export function unpackHex(hex: string, count: number, bits: number, signed: boolean): Int32Array {
  const out = new Int32Array(count);
  const nibbles = hex.length;
  const bitAt = (b: number): number => {
    const nib = nibbles - 1 - (b >> 2);
    return nib < 0 ? 0 : (parseInt(hex[nib], 16) >> (b & 3)) & 1;
  };
  for (let i = 0; i < count; i++) {
    let v = 0;
    for (let b = bits - 1; b >= 0; b--) v = v * 2 + bitAt(i * bits + b);
    if (signed && v >= 2 ** (bits - 1)) v -= 2 ** bits;
    out[i] = v;
  }
  return out;
}
