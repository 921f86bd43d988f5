// Where a vCPU's time goes, for --stats: translation (the cold tier: front
// end, optimiser, interpreter steps), compilation (hot regions: translating
// again, emitting and `new Function`), syscalls, helpers (the SoftMMU slow
// paths and the strategy's helpers called from guest code) and the rest of
// the cpu loop's time, which is guest code running (interpreted or compiled)
// plus dispatch. Translation, compilation and syscalls are timed at every
// call; helpers, called up to tens of millions of times a second, are timed
// at one call in HELPER_SAMPLE and scaled, so that timing them costs little.
// Each helper's first HELPER_EXACT_CALLS calls are all timed: in a short run
// (a few hundred calls) one sampled call that met a garbage collection or a
// first compilation, scaled by HELPER_SAMPLE, was more than the whole run
// (err-syscall: helpers 97 ms, code -80 ms).

/** One helper call in this many is timed (after the first HELPER_EXACT_CALLS). */
export const HELPER_SAMPLE = 64;

/** Calls of each helper that are all timed before sampling starts. */
export const HELPER_EXACT_CALLS = 1024;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Helper = (...args: any[]) => any;

export class VcpuTiming {
  /** Milliseconds. */
  translate = 0;
  compile = 0;
  syscall = 0;
  helpers = 0;
  private run = 0;
  private runningSince = -1;

  constructor(readonly enabled: boolean) {}

  start(): number {
    return this.enabled ? performance.now() : 0;
  }

  since(t0: number): number {
    return this.enabled ? performance.now() - t0 : 0;
  }

  /** The cpu loop starts or stops running guest code. */
  running(on: boolean): void {
    if (!this.enabled) return;
    if (on) {
      this.runningSince = performance.now();
    } else if (this.runningSince >= 0) {
      this.run += performance.now() - this.runningSince;
      this.runningSince = -1;
    }
  }

  /** The helper itself when timing is off; else a wrapper that times its first calls, then one in HELPER_SAMPLE. */
  helper<H extends Helper>(f: H): H {
    if (!this.enabled) return f;
    let calls = 0;
    // As many parameters as the widest helper (the VFP exact path's six): a missing one arrives undefined.
    const wrapped = (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, g?: unknown): unknown => {
      const weight = ++calls <= HELPER_EXACT_CALLS ? 1 : calls % HELPER_SAMPLE === 0 ? HELPER_SAMPLE : 0;
      if (weight === 0) return f(a, b, c, d, e, g);
      const t0 = performance.now();
      try {
        return f(a, b, c, d, e, g);
      } finally {
        this.helpers += weight * (performance.now() - t0);
      }
    };
    return wrapped as H;
  }

  /** The split for --stats, in milliseconds; `code` is the run time not accounted for elsewhere. */
  split(): Record<string, number> {
    const r = (x: number): number => Math.round(x * 10) / 10;
    const run = this.run + (this.runningSince >= 0 ? performance.now() - this.runningSince : 0);
    const code = run - this.translate - this.compile - this.syscall - this.helpers;
    return {
      'time.runMs': r(run),
      'time.translateMs': r(this.translate),
      'time.compileMs': r(this.compile),
      'time.syscallMs': r(this.syscall),
      'time.helperMs': r(this.helpers),
      'time.codeMs': r(code),
    };
  }
}
