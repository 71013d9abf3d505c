// What every benchmark section gets: how many runs, a scratch folder, a
// progress line (TTY only), and the figures earlier sections measured that
// later ones use as references.
export interface Context {
  runs: number;
  /** Runs of the quantize section (minutes each at full size). */
  quantizeRuns: number;
  /** Runs of the RTL section (cold Verilator builds: minutes each). */
  rtlRuns: number;
  work: string;
  say: (msg: string) => void;
  /** Golden-model images per second by net.json path (section golden), the reference of later speeds. */
  goldenRate: Map<string, number[]>;
  trainCount?: number;
  simImages: number;
  goldenImages: number;
  batch: number;
}
