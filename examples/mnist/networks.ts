// The three MNIST examples and the options their committed net.json files
// were quantized with: one list for examples/mnist/accuracy-table.ts (which
// rebuilds them) and the quantize benchmark (which times the default search
// with the same crossbar sizes).
export interface ExampleNetwork {
  file: 'small' | 'lenet5' | 'deep';
  title: string;
  crossbar: { rows: number; cols: number };
  /**
   * Options of the 1-bit search (the 8-bit baseline has no search), each
   * chosen by the training accuracy of the file it gives, never the test
   * accuracy: small without the re-fit (97.71 % training, 97.69 % with it),
   * deep with two passes (59,055 training images right, 59,050 with one).
   */
  passes: number;
  refine: number;
  /** Training images of the next-layer re-fit (0: none). */
  refit: number;
  /**
   * Epochs of the fine-tune (0: none). The committed files predate it; 0
   * keeps them what a rebuild gives (quantizing them again with it is open).
   */
  fineTune: number;
}

export const NETWORKS: readonly ExampleNetwork[] = [
  { file: 'small', title: 'small (conv 12 + 32)', crossbar: { rows: 128, cols: 128 }, passes: 1, refine: 0, refit: 0, fineTune: 0 },
  { file: 'lenet5', title: 'LeNet-5 style (conv 20 + 50, dense 256)', crossbar: { rows: 128, cols: 128 }, passes: 1, refine: 0, refit: 10000, fineTune: 0 },
  { file: 'deep', title: 'deep (3 conv 3×3 padded + batch-norm)', crossbar: { rows: 64, cols: 64 }, passes: 2, refine: 0, refit: 10000, fineTune: 0 },
];

