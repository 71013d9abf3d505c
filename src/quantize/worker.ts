// Worker-thread entry of the quantizer's thread pool: runs jobs (jobs.ts) sent
// by the main thread and reports progress and results back.
import { parentPort } from 'node:worker_threads';
import { type Job, runJob } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('quantize/worker.ts must run in a worker thread');
port.on('message', (job: Job) => {
  try {
    const result = runJob(job, (p) => port.postMessage({ type: 'progress', progress: p }));
    port.postMessage({ type: 'done', result });
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error)?.stack ?? String(e) });
  }
});
