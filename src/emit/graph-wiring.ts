// The top's wiring of a graph (src/plan/graph.ts): which stream each stage
// reads, and the forks, FIFOs and joins between them. Streams: l0 the
// network input, l<k> the output of stage k−1 (the taps `rram-gen sim` logs);
// a stream read by several stages forks (rram_fork) into l<k>_b<j>, one
// branch per reading edge; an edge with a FIFO (src/plan/fifo-depth.ts)
// reads it through rram_fifo into f<k>_<i> (stage k−1's input i); a stage's
// several main inputs (a concat, an add of its own) or several skip inputs
// are joined side by side (rram_join) into j<k> or s<k>, the first input in
// the lowest bits. A chain has none of these: stage k−1 reads l<k−1>.
import type { HwPlan } from '../plan/index.js';

export interface ForkView { stream: number; count: number; top: number; msb: number; branches: { name: string; index: number }[] }
export interface FifoView { name: string; source: string; depth: number; msb: number }
export interface JoinView { name: string; count: number; top: number; msb: number; valids: string; readies: string; datas: string }
export interface StageWiring { in: string; skip?: string; fifos: FifoView[]; joins: JoinView[] }

/** The library modules only a graph instantiates (a chain's output folder stays as it was). */
export const GRAPH_LIBRARY = ['rram_fifo.sv', 'rram_fork.sv', 'rram_join.sv'];

const pixelBits = (s: { channels: number; bits: number }): number => s.channels * s.bits;

export function graphWiring(plan: HwPlan): { forks: ForkView[]; stages: StageWiring[] } {
  // Edges reading each stream, in stage order.
  const readers = new Map<number, number>();
  for (const s of plan.stages) for (const e of s.inputs ?? []) readers.set(e.stage + 1, (readers.get(e.stage + 1) ?? 0) + 1);
  const forks: ForkView[] = [];
  const branchOf = new Map<number, number>();
  const stages = plan.stages.map((s, k): StageWiring => {
    const id = k + 1;
    if (s.inputs === undefined) return { in: `l${k}`, fifos: [], joins: [] };
    const fifos: FifoView[] = [];
    const joins: JoinView[] = [];
    const streams = s.inputs.map((e, i) => {
      const stream = e.stage + 1;
      const msb = pixelBits(e.shape) - 1;
      let source = `l${stream}`;
      const count = readers.get(stream)!;
      if (count > 1) {
        let fork = forks.find((f) => f.stream === stream);
        if (fork === undefined) forks.push(fork = { stream, count, top: count - 1, msb, branches: [] });
        const index = branchOf.get(stream) ?? 0;
        branchOf.set(stream, index + 1);
        source = `l${stream}_b${index}`;
        fork.branches.push({ name: source, index });
      }
      if (e.fifoDepth === 0) return { name: source, port: e.port, msb };
      const name = `f${id}_${i}`;
      fifos.push({ name, source, depth: e.fifoDepth, msb });
      return { name, port: e.port, msb };
    });
    const joined = (port: 'main' | 'skip', name: string): string | undefined => {
      const xs = streams.filter((x) => x.port === port);
      if (xs.length <= 1) return xs[0]?.name;
      const list = (suffix: string) => xs.map((x) => `${x.name}_${suffix}`).reverse().join(', ');
      joins.push({ name, count: xs.length, top: xs.length - 1, msb: xs.reduce((n, x) => n + x.msb + 1, 0) - 1, valids: list('valid'), readies: list('ready'), datas: list('data') });
      return name;
    };
    const main = joined('main', `j${id}`)!;
    const skip = joined('skip', `s${id}`);
    return { in: main, ...(skip !== undefined ? { skip } : {}), fifos, joins };
  });
  return { forks, stages };
}
