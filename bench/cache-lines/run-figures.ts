// One measurement of the cache-lines microbench, from its threads' figures
// (a JavaScript run's workers, or the native reference's lines) to the
// figures per acquisition that are set beside mttcg's spinlock: thread CPU
// per acquisition (all threads' CPU over all their acquisitions) and wall
// time per acquisition over the window in which they ran together (the
// first thread to finish stops the others at their next check).

/** One thread's figures, from a JavaScript worker (worker.ts) or a line of the native reference (native.ts). */
export interface ThreadFigures {
  readonly ops: number;
  readonly fails: number;
  readonly waits: number;
  /**
   * Thread CPU over the timed part, ns. The native reference reads CLOCK_THREAD_CPUTIME_ID around it. A
   * JavaScript worker reads the exact clock before the start gate (a read spins up to a
   * scheduler tick, host/exact-thread-cpu.ts, so it cannot be taken as the threads start together) and the
   * gate's wall time is taken off, which is its CPU if the thread spun there on its core (under SCHED_FIFO; a
   * thread kept off its core at the gate shows as a CPU share below 1 and its figure is too low).
   */
  readonly cpuNs: number;
  /** From passing the gate to the last acquisition, ns. */
  readonly wallNs: number;
  /** Passing the gate and the end, CLOCK_MONOTONIC ns (to line the threads up). */
  readonly startNs: number;
  readonly endNs: number;
}

export interface RunFigures {
  readonly ops: number;
  /** Sum of the threads' CPU / acquisitions. */
  readonly cpuPerOp: number;
  /** From the first thread's start to the last one's end / acquisitions. */
  readonly wallPerOp: number;
  readonly failsPerOp: number;
  readonly waitsPerOp: number;
  /** The least busy thread's CPU over its own wall time: below ~0.9 it was kept off its core (the threads took turns). */
  readonly leastOnCore: number;
}

export function runFigures(threads: readonly ThreadFigures[]): RunFigures {
  const ops = threads.reduce((s, t) => s + t.ops, 0);
  if (ops === 0) throw new Error('cache-lines: a run made no acquisitions');
  const sum = (f: (t: ThreadFigures) => number): number => threads.reduce((s, t) => s + f(t), 0);
  const start = Math.min(...threads.map((t) => t.startNs));
  const end = Math.max(...threads.map((t) => t.endNs));
  return {
    ops,
    cpuPerOp: sum((t) => t.cpuNs) / ops,
    wallPerOp: (end - start) / ops,
    failsPerOp: sum((t) => t.fails) / ops,
    waitsPerOp: sum((t) => t.waits) / ops,
    leastOnCore: Math.min(...threads.map((t) => t.cpuNs / t.wallNs)),
  };
}
