// Runs test workers (vCPUs) in worker_threads and collects one result from
// each. Bounded: a worker that throws, exits early or posts an error fails
// the run at once and every other worker is terminated; so does a run still
// going after the guard time, which only catches hangs (deadlocks) and is
// never an assertion about speed.

import { parentPort, Worker, workerData } from 'node:worker_threads';

type WorkerMessage<R> = { ok: true; result: R } | { ok: false; error: string };

/** Starts one worker per data item; resolves with their results in order. */
export function runWorkers<D, R>(module: URL, data: readonly D[], guardSeconds: number): Promise<R[]> {
  return new Promise((resolve, reject) => {
    const results: R[] = new Array(data.length);
    let done = 0;
    let settled = false;
    const workers: Worker[] = [];
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      if (error) {
        for (const w of workers) void w.terminate();
        reject(error);
      } else {
        resolve(results);
      }
    };
    const guard = setTimeout(() => {
      finish(new Error(`workers still running after ${guardSeconds} s: a hang (deadlock or lost wake-up); ${done}/${data.length} finished`));
    }, guardSeconds * 1000);
    data.forEach((d, i) => {
      // Without tap's --import loaders (mock, processinfo), which every worker
      // would otherwise inherit and run its module loading through.
      const w = new Worker(module, { workerData: d, execArgv: [] });
      workers.push(w);
      let answered = false;
      w.on('message', (m: WorkerMessage<R>) => {
        answered = true;
        if (!m.ok) return finish(new Error(`worker ${i}: ${m.error}`));
        results[i] = m.result;
        if (++done === data.length) finish(null);
      });
      w.on('error', (e) => finish(new Error(`worker ${i} crashed: ${e.stack ?? String(e)}`)));
      w.on('exit', (code) => {
        if (!answered) finish(new Error(`worker ${i} exited (code ${code}) without a result`));
      });
    });
  });
}

/** Worker side: runs body on workerData and posts its result or its error. */
export function serveWorker<D, R>(body: (data: D) => R): void {
  let message: WorkerMessage<R>;
  try {
    message = { ok: true, result: body(workerData as D) };
  } catch (e) {
    message = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(message);
}
