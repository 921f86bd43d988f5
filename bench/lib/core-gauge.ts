// How fast each core of the host was while a benchmark's timed section ran:
// a gauge thread per core (core-gauge-worker.ts) times a fixed loop every few
// milliseconds, and a section's gauge is the mean loop time of the samples
// inside it (the mean, not the median: a stretch that slowed a third of the
// section slows the section by a third of its factor, and so does it the
// mean) (the guest's BENCH line gives the section's start and
// length on CLOCK_MONOTONIC, the host's clock under mttcg and qemu-arm
// alike). Against the gauge's fastest samples over the whole benchmark it
// says by how much the core itself was slower then: on this virtual machine
// another tenant on the same physical core slows everything on it, with no
// steal counted (reports/measurements/speed.md, "Session 10: why one run is
// slow"). Linux only (taskset pins each gauge).

import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CoreGaugeWorkerData } from './core-gauge-worker.js';

const CAPACITY = 1 << 17;

/** A run's cores count as undisturbed while each core's gauge ran within this factor of its best. */
export const UNDISTURBED = 1.1;

/** Every core of the host to gauge, or none with --no-gauge, off Linux (taskset) or on one core. */
export function gaugedCores(argv: readonly string[]): number[] {
  return !argv.includes('--no-gauge') && process.platform === 'linux' && cpus().length >= 2 ? cpus().map((_, i) => i) : [];
}

/** A slowdown as printed: "+12%", "-1%", or "?" without samples. */
export function slowdownText(ratio: number): string {
  return Number.isNaN(ratio) ? '?' : `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)}%`;
}

interface Gauge {
  readonly core: number;
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly samples: Float64Array;
}

export class CoreGauges {
  private constructor(private readonly gauges: readonly Gauge[]) {}

  /**
   * Starts a gauge pinned to each core, sampling every `periodMs` a loop of
   * `iterations` (about 75 us at the default). Throws if a gauge cannot be
   * pinned (no taskset, no such core) within 30 s.
   */
  static async start(cores: readonly number[], periodMs = 5, iterations = 20000): Promise<CoreGauges> {
    const gauges = cores.map((core): Gauge => {
      const control = new SharedArrayBuffer(3 * 4);
      const samples = new SharedArrayBuffer(CAPACITY * 2 * 8);
      const data: CoreGaugeWorkerData = { core, periodMs, iterations, control, samples };
      const worker = new Worker(new URL('./core-gauge-worker.js', import.meta.url), { workerData: data });
      return { core, worker, control: new Int32Array(control), samples: new Float64Array(samples) };
    });
    const all = new CoreGauges(gauges);
    // Pinned before anything is timed; samples come every periodMs from then on (a loaded host drops some).
    for (const g of gauges) {
      const deadline = Date.now() + 30_000;
      while (Atomics.load(g.control, 1) === 0) {
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (Atomics.load(g.control, 1) !== 1) {
        await all.stop();
        throw new Error(`the core gauge for core ${g.core} could not be pinned there (taskset?)`);
      }
    }
    return all;
  }

  /** Loop times (ns) of `core`'s gauge whose samples started in [fromNs, toNs] on CLOCK_MONOTONIC. */
  samplesBetween(core: number, fromNs: number, toNs: number): number[] {
    const g = this.gauges.find((x) => x.core === core);
    if (!g) throw new Error(`no gauge on core ${core}`);
    const n = Atomics.load(g.control, 0);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = g.samples[2 * i]!;
      if (at >= fromNs && at <= toNs) out.push(g.samples[2 * i + 1]!);
    }
    return out;
  }

  /** The core's unhindered loop time: the 5th percentile of all its samples so far (ns). */
  baseline(core: number): number {
    const all = this.samplesBetween(core, -Infinity, Infinity).sort((a, b) => a - b);
    if (all.length === 0) throw new Error(`the gauge on core ${core} has no samples`);
    return all[Math.floor(all.length * 0.05)]!;
  }

  /** The core's slowdown over [fromNs, toNs]: its samples' mean over its baseline (NaN without samples). */
  slowdown(core: number, fromNs: number, toNs: number): { readonly ratio: number; readonly n: number } {
    const xs = this.samplesBetween(core, fromNs, toNs);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { ratio: xs.length ? mean / this.baseline(core) : NaN, n: xs.length };
  }

  /** The slowest of `cores` over [fromNs, toNs] (NaN if any has no sample there). */
  worstSlowdown(cores: readonly number[], fromNs: number, toNs: number): number {
    return Math.max(...cores.map((c) => this.slowdown(c, fromNs, toNs).ratio));
  }

  async stop(): Promise<void> {
    for (const g of this.gauges) {
      Atomics.store(g.control, 2, 1);
      Atomics.notify(g.control, 2);
    }
    await Promise.all(this.gauges.map((g) => g.worker.terminate()));
  }
}
