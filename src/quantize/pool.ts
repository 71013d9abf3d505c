// A small pool of worker threads for the quantizer (or none: threads = 1 runs
// every job in the calling thread). Jobs share their inputs through
// SharedArrayBuffers and divide the work among themselves through shared
// counters, so every worker gets the same job message.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type FitTailJob, type Job, type JobResult, type Progress, runJob } from './jobs.js';
import type { TailFit } from './tail-fit.js';

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export class ThreadPool {
  private readonly workers: Worker[] = [];

  constructor(readonly threads: number) {
    if (threads <= 1) return;
    // Running from TypeScript sources (tsx, vitest), the worker needs the tsx loader too.
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
    for (let i = 0; i < threads; i++) {
      const w = fromSource
        ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true })
        : new Worker(url);
      this.workers.push(w);
    }
  }

  /** Per worker, the job runOn last gave it (a worker takes one job at a time). */
  private readonly busy: Promise<unknown>[] = [];

  /** Runs `job` on every thread; resolves with each thread's result. */
  async run(job: Exclude<Job, FitTailJob>, onProgress?: (p: Progress) => void): Promise<JobResult[]> {
    if (this.workers.length === 0) return [runJob(job, onProgress ?? (() => undefined)) as JobResult];
    await Promise.all(this.busy);
    return Promise.all(this.workers.map((w) => this.send(w, job, onProgress) as Promise<JobResult>));
  }

  /**
   * Runs `job` on one thread (number `index`, modulo the threads), for work
   * that does not split: several such jobs run side by side; two given the
   * same thread run one after the other.
   */
  async runOn(index: number, job: FitTailJob): Promise<TailFit> {
    if (this.workers.length === 0) return runJob(job, () => undefined) as TailFit;
    const k = index % this.workers.length;
    const result = (this.busy[k] ?? Promise.resolve()).then(() => this.send(this.workers[k], job) as Promise<TailFit>);
    this.busy[k] = result.catch(() => undefined);
    return result;
  }

  private send(w: Worker, job: Job, onProgress?: (p: Progress) => void): Promise<JobResult | TailFit> {
    return new Promise<JobResult | TailFit>((resolve, reject) => {
      const onMessage = (m: { type: string; progress?: Progress; result?: JobResult | TailFit; message?: string }): void => {
        if (m.type === 'progress') {
          onProgress?.(m.progress!);
          return;
        }
        w.off('message', onMessage);
        w.off('error', onError);
        if (m.type === 'done') resolve(m.result);
        else reject(new Error(`quantize worker failed: ${m.message}`));
      };
      const onError = (e: Error): void => {
        w.off('message', onMessage);
        reject(e);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function sharedBytes(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, n)));
}

export function sharedInts(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4));
}
