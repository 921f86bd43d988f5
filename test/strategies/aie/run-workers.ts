// Starts one worker_thread per data item on a test worker module and
// collects one result from each. A worker that throws or exits without a
// result fails the run at once; a guard time only catches hangs (it is not an
// assertion about speed).

import { parentPort, Worker, workerData } from 'node:worker_threads';

type Reply<R> = { ok: true; result: R } | { ok: false; error: string };

export function runWorkers<D, R>(module: URL, data: readonly D[], guardSeconds = 60): Promise<R[]> {
  return new Promise((resolve, reject) => {
    const results: R[] = new Array(data.length);
    const workers: Worker[] = [];
    let done = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      if (error) {
        for (const w of workers) void w.terminate();
        reject(error);
      } else resolve(results);
    };
    const guard = setTimeout(() => finish(new Error(`workers still running after ${guardSeconds} s: a hang`)), guardSeconds * 1000);
    data.forEach((d, i) => {
      const w = new Worker(module, { workerData: d });
      workers.push(w);
      let answered = false;
      w.on('message', (m: Reply<R>) => {
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

/** Worker side: runs body on workerData, posts its result or its error. */
export function serveWorker<D, R>(body: (data: D) => R): void {
  let reply: Reply<R>;
  try {
    reply = { ok: true, result: body(workerData as D) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(reply);
}
