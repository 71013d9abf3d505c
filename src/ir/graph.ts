// The graph of a net@2 document: each layer's producers, resolved from the
// names in `inputs` (absent: the previous layer, so a chain means what net@1
// means), and each producer's consumers. References go to EARLIER layers
// only (the list is topological); every layer but the last must feed some
// layer (the network input always does: layer 0 can read nothing else).
import type { DiagnosticCode } from '../diagnostics/index.js';

/** The network input's name in `inputs` (a Verilog keyword, so no layer can take it). */
export const INPUT_NAME = 'input';

export interface RawGraph {
  /** Producers of each layer (−1: the network input); undefined when a reference is bad. */
  inputs: (number[] | undefined)[];
  /** Consumers of each layer (indices, in order). */
  consumers: number[][];
}

export function graphInputs(
  layers: readonly { name: string; inputs?: string[] }[],
  error: (code: DiagnosticCode, pointer: string, message: string) => void,
): RawGraph {
  const earlier = new Map<string, number>();
  const consumers: number[][] = layers.map(() => []);
  const inputs = layers.map((l, i) => {
    let ids: number[] | undefined = [i - 1];
    if (l.inputs !== undefined) {
      ids = [];
      l.inputs.forEach((name, j) => {
        const at = name === INPUT_NAME ? -1 : earlier.get(name);
        if (at === undefined) {
          const later = layers.findIndex((m, k) => k >= i && m.name === name);
          error('input-unknown', `/layers/${i}/inputs/${j}`, later >= 0
            ? `"${name}" is layer ${later}, not an earlier one: layers are listed in topological order`
            : `no earlier layer is named "${name}" (use "${INPUT_NAME}" for the network input)`);
          ids = undefined;
        } else {
          ids?.push(at);
          // Counted even when another reference is bad, so no follow-on "unused" error.
          if (at >= 0) consumers[at].push(i);
        }
      });
    } else if (i > 0) consumers[i - 1].push(i);
    if (!earlier.has(l.name)) earlier.set(l.name, i);
    return ids;
  });
  if (inputs.every((x) => x !== undefined)) {
    layers.forEach((l, i) => {
      if (i < layers.length - 1 && consumers[i].length === 0) {
        error('unused-layer', `/layers/${i}`, `layer ${l.name} feeds no layer (only the last layer is the output)`);
      }
    });
  }
  return { inputs, consumers };
}

/** Whether every layer reads the one before it (the network input for layer 0): a net@1 chain. */
export function isChain(layers: readonly { index: number; inputs: readonly number[]; type: string }[]): boolean {
  return layers.every((l, i) => l.inputs.length === 1 && l.inputs[0] === i - 1 && l.type !== 'add' && l.type !== 'concat');
}
