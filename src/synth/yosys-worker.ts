// Runs the npm Yosys (WebAssembly) in a worker thread, so the main thread
// stays free to show progress; log lines come back as messages. The worker
// code is a small inline module (it needs only @yowasp/yosys), which works
// the same from the TypeScript sources and from dist/.
import { Worker } from 'node:worker_threads';

export type YosysTree = { [name: string]: YosysTree | string | Uint8Array };

export interface YosysRun {
  /** 0 on success; Yosys's exit status otherwise. */
  code: number;
  /** Everything Yosys printed (stdout and stderr). */
  log: string;
  /** Files Yosys wrote into its virtual folder, by path. */
  files: Map<string, string>;
}

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.yosysUrl).then(async ({ runYosys }) => {
  const dec = new TextDecoder();
  let pending = '';
  const sink = (b) => {
    if (!b) return;
    pending += dec.decode(b, { stream: true });
    const lines = pending.split('\\n');
    pending = lines.pop();
    if (lines.length) parentPort.postMessage({ type: 'lines', lines });
  };
  let code = 0, tree;
  try {
    tree = await runYosys(workerData.args, workerData.files, { stdout: sink, stderr: sink });
  } catch (e) {
    if (e && typeof e.code === 'number' && e.files) { code = e.code || 1; tree = e.files; }
    else { parentPort.postMessage({ type: 'lines', lines: ['ERROR: ' + (e && e.message || String(e))] }); code = 1; }
  }
  if (pending) parentPort.postMessage({ type: 'lines', lines: [pending] });
  const out = {};
  for (const [k, v] of Object.entries(tree || {})) if (typeof v === 'string' || v instanceof Uint8Array) out[k] = typeof v === 'string' ? v : dec.decode(v);
  parentPort.postMessage({ type: 'done', code, files: out });
});
`;

/** Run Yosys with `args` over `files` (a folder tree); `onLine` sees each log line as it is printed. */
export function runYosysInWorker(args: string[], files: YosysTree, onLine?: (line: string) => void): Promise<YosysRun> {
  const yosysUrl = import.meta.resolve('@yowasp/yosys');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { yosysUrl, args, files } });
    const log: string[] = [];
    worker.on('message', (m: { type: 'lines'; lines: string[] } | { type: 'done'; code: number; files: Record<string, string> }) => {
      if (m.type === 'lines') {
        for (const l of m.lines) { log.push(l); onLine?.(l); }
      } else {
        resolve({ code: m.code, log: `${log.join('\n')}\n`, files: new Map(Object.entries(m.files)) });
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (c) => { if (c !== 0) reject(new Error(`Yosys worker exited with code ${c}`)); });
  });
}
