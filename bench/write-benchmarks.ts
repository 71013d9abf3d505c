// Writes BENCHMARKS.md from bench/results.json (a run of `npm run bench`):
// the run's machine, settings and table, and what bounds each figure.
//   npx tsx bench/write-benchmarks.ts [results.json] [BENCHMARKS.md]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { describeMachine } from './lib/machine.js';
import { type Results, formatTable } from './lib/rows.js';

const [input = 'bench/results.json', output = 'BENCHMARKS.md'] = process.argv.slice(2);
const { machine, settings, rows, earlierRuns = [] } = JSON.parse(readFileSync(input, 'utf8')) as Results;
const earlier = earlierRuns.map((e) => `Rows of ${e.sections.map((s) => `\`${s}\``).join(', ')} are kept from an earlier run (\`--merge\`): ${describeMachine(e.machine)}; settings \`${JSON.stringify(e.settings)}\`.`);
const extra = process.env.BENCH_NOTES ? readFileSync(process.env.BENCH_NOTES, 'utf8').trim() : '';

const text = `# Benchmarks

Made by \`npm run bench\` (bench/run.ts; \`npm run bench -- --help\`-style options are listed at the top of that file) and written
into this file by \`npx tsx bench/write-benchmarks.ts\`. Nothing here is asserted by \`npm test\`.

Run: ${describeMachine(machine)}

Settings: \`${JSON.stringify(settings)}\`
${earlier.map((e) => `\n${e}\n`).join('')}
Every figure is the median of its runs with [min–max]; a ratio is taken run by run against a reference measured in the same
run. Peak RSS is the largest single process of the measured command (GNU time's maximum resident set size). The load
averages above, at the start and the end of the run, say how busy the 2-core machine was: absolute times vary with it from
run to run, the ratios much less.

${formatTable(rows)}

## What bounds each figure

- **Generator (\`rram-gen build\`)**: a fixed cost (tiny.json, 5 weights; about a dozen Node start-ups in the table
  above, about 4 since issue 19: see "Start-up of \`rram-gen build\`" below) plus a part that grows with the weight count (JSON
  parsing, validation, weights written as RTL parameters): the fit over the synthetic sizes above the fixed cost is the
  linearity check (1.00 = linear).
- **Golden model**: one thread, one image at a time; the whole network runs inside WebAssembly memory
  (src/golden/program.ts, kernels.wat) with maps as bytes in H,W,C order. A layer on a 1-bit map packs it into bits
  and adds one precomputed row of i16 column sums per chunk of up to 8 side-by-side window bits (chunks of zeros
  skipped), 32 columns per pass; a layer on a multi-bit map (the first layer, every layer of the 8-bit nets) gathers
  its window into 16-bit lanes and does 8 multiply-adds per \`i32x4.dot_i16x8_s\`, four columns and two positions per
  pass, and gives an all-zero window (common at MNIST's borders) the bias's output without arithmetic; thresholds,
  ADCs and max-pools run in the same kernels. ONNX Runtime (one thread, float32, the same images in batches of the
  same size) uses im2col and vectorized GEMM kernels in C++ (AVX-512 on this machine) over whole batches, with no
  such shortcuts: it is fastest, relative to the golden model, on the multi-bit layers. The ratio is golden / ONNX
  Runtime (above 1 = the golden model is faster).
- **Quantization**: the threshold searches run the downstream layers on the golden model over two worker threads and
  stop candidates early; the next-layer re-fits run the float model up to the re-fitted layer on 10,000 images and
  sum the normal equations over every pair of inputs that are 1 in each window (the cost grows with the square of
  the active inputs; deep's windows have 145 and 289 rows, LeNet-5's fc1 801), then score the network once; the
  rest of the wall time is fixed work (reading MNIST, per-channel statistics, the final check on every training
  image, and the 10,000 test images through the net and the float model).
- **Verilator build**: Verilator and the C++ compile (g++ -O1) of the simulation form (\`tb.f\`): the matrix stages'
  crossbar column groups are behavioural models that read their weights at run time (\`$readmemh\`, docs/rtl.md), so
  the model's code does not grow with the weights; the rest is the stages' control logic, window generators and
  buffers. Cold = empty model cache and ccache off; cached = the model found by its hash (only the golden model and
  the harness run).
- **Simulation**: each column-group model does a read's work once per read, in its clocked process, over the input
  rows that are not zero: a multiply-add per (non-zero row, column). Verilator evaluates every other combinational
  block after a register on every clock, so the rest of the time goes to the window generators' multiplexers (about a
  quarter of LeNet-5's) and the sequential blocks; the harness and its log cost a few per cent. The design takes one
  input pixel per cycle, so cycles per image equal the plan's bound (784 for a 28×28 input, 1,024 for 32×32): ratio
  1.00.
- **Peak RSS**: Node's baseline (about 40 MiB for \`node -e ""\`) plus the network and its data; for \`sim\` the golden
  model's per-layer traces of every image and the parsed harness log (about 1.4 GiB for 10,000 MNIST images on the
  small network); for a cold Verilator build, verilator_bin itself.
${extra ? `\n${extra}\n` : ''}`;

writeFileSync(`${output}.tmp`, text);
renameSync(`${output}.tmp`, output);
console.log(`wrote ${output}`);
