// One estimate of the time a whole report still needs: every torture run and
// benchmark point it will run is counted up front (what the results files
// already hold is not), by kind of process, and each kind's mean time so far
// replaces a first guess as soon as one has finished. Until then the guess
// is used and the estimate says so. mttcg processes cost seconds of start-up
// each, qemu-arm and native ones a fraction of a second, so they are kept
// apart.

export type JobKind = 'torture-mttcg' | 'torture-qemu' | 'bench-mttcg' | 'bench-peer';

/**
 * First guesses, per process, on an idle 2-core host (measured there: an
 * mttcg start-up of about 1.3 s plus warm-up, section and exit; calibration
 * re-runs included in the bench figure). Replaced by measurement at once.
 */
export const FIRST_GUESS_MS: Readonly<Record<JobKind, number>> = {
  'torture-mttcg': 2500,
  'torture-qemu': 300,
  'bench-mttcg': 3500,
  'bench-peer': 500,
};

export interface EtaText {
  readonly ms: number;
  /** True while some kind with work left has no measurement yet. */
  readonly guessed: boolean;
  readonly left: number;
  readonly total: number;
}

export class ReportEta {
  private readonly left = new Map<JobKind, number>();
  private readonly seen = new Map<JobKind, { ms: number; n: number }>();
  private total = 0;

  /** Adds `n` jobs of a kind still to run. */
  plan(kind: JobKind, n: number): void {
    this.left.set(kind, (this.left.get(kind) ?? 0) + n);
    this.total += n;
  }

  /** A job of this kind finished after `ms`. */
  done(kind: JobKind, ms: number): void {
    this.left.set(kind, Math.max(0, (this.left.get(kind) ?? 0) - 1));
    const s = this.seen.get(kind) ?? { ms: 0, n: 0 };
    this.seen.set(kind, { ms: s.ms + ms, n: s.n + 1 });
  }

  /** Extra time for a job of this kind that is still counted (a calibration re-run). */
  extra(kind: JobKind, ms: number): void {
    const s = this.seen.get(kind) ?? { ms: 0, n: 0 };
    this.seen.set(kind, { ms: s.ms + ms, n: s.n });
  }

  estimate(): EtaText {
    let ms = 0;
    let guessed = false;
    let left = 0;
    for (const [kind, n] of this.left) {
      if (n === 0) continue;
      left += n;
      const s = this.seen.get(kind);
      if (s && s.n > 0) ms += (s.ms / s.n) * n;
      else {
        ms += FIRST_GUESS_MS[kind] * n;
        guessed = true;
      }
    }
    return { ms, guessed, left, total: this.total };
  }
}
