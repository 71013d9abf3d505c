// Parses the Verilator harness log (sim/harness.cpp): tap beats, result
// beats and the final cycle count.
import { closeSync, openSync, readSync } from 'node:fs';

export interface HarnessLog {
  /** Hex data of every beat, per tap index (1 = first stage's output). */
  taps: Map<number, string[]>;
  results: { cycle: number; class: number; values: string }[];
  cycles: number;
}

/**
 * Reads the log file in chunks, a line at a time: the log of 10,000 images
 * through an 8-bit network is larger than the longest string V8 can hold
 * (512 MiB), so it is never read whole.
 */
export function parseHarnessLogFile(path: string, chunkBytes = 16 << 20): HarnessLog {
  const log: HarnessLog = { taps: new Map(), results: [], cycles: 0 };
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(chunkBytes);
    let partial = '';
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const lines = (partial + chunk.toString('latin1', 0, n)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) parseLine(line, log);
    }
    parseLine(partial, log);
  } finally {
    closeSync(fd);
  }
  return log;
}

/** One line: `T <tap> <hex>` (a tap beat), `R <cycle> <class> <values>` (a result) or `E <cycles>` (the end). */
function parseLine(line: string, log: HarnessLog): void {
  const f = line.split(' ');
  if (f[0] === 'T') {
    const tap = Number(f[1]);
    let beats = log.taps.get(tap);
    if (beats === undefined) log.taps.set(tap, (beats = []));
    beats.push(f[2]);
  } else if (f[0] === 'R') {
    log.results.push({ cycle: Number(f[1]), class: parseInt(f[2], 16), values: f[3] });
  } else if (f[0] === 'E') {
    log.cycles = Number(f[1]);
  }
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
