// The testbench's $readmemh files: one input pixel per line, one expected
// result ({class, values}) per line.
import type { NetIR } from '../ir/types.js';
import type { RunResult } from '../golden/index.js';
import { packFieldsHex } from './literals.js';

/** One line per pixel: channel c of pixel (y, x) at bits [c*bits +: bits]. */
export function pixelLines(net: NetIR, inputs: Int32Array[]): string {
  const { channels: C, height: H, width: W, bits } = net.input;
  const lines: string[] = [];
  const px = new Int32Array(C);
  for (const input of inputs) {
    for (let p = 0; p < H * W; p++) {
      for (let c = 0; c < C; c++) px[c] = input[c * H * W + p];
      lines.push(packFieldsHex(px, () => bits));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line per image: {class, values}, value i at [i*bits +: bits], the class above them. */
export function resultLines(net: NetIR, results: RunResult[], classBits: number): string {
  const bits = net.output.bits;
  return `${results.map((r) => {
    const n = r.output.length;
    return packFieldsHex([...r.output, r.answer], (i) => (i < n ? bits : classBits));
  }).join('\n')}\n`;
}
