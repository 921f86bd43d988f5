// Did a torture run exercise the race it is about? A pass proves something
// only if the threads overlapped and actually contended: a counting case
// whose chunks never ran beside another thread's (concurrent_chunks=0), or
// in which no atomic attempt ever lost (no STREX retried, no waiter spun),
// passed without the race being possible. Read from the RESULT line's
// observed pairs (torture-tests/atomics/README.md).

import type { TortureCaseName } from '../emulator/atomics/guarantees.js';

/** The RESULT fields that count lost races, per counting case (any of them above 0 is contention). */
const CONTENTION_FIELDS: Partial<Record<TortureCaseName, readonly string[]>> = {
  'spinlock-ldrex': ['wait_spins', 'lock_giveups'],
  'swp-lock': ['wait_spins', 'lock_giveups'],
  'swp-mixed': ['wait_spins', 'lock_giveups'],
  'atomic-add': ['strex_retries'],
  'atomic-add-spread': ['strex_retries'],
  'strexd-counter': ['strex_retries'],
  'fork-counter': ['strex_retries'],
  treiber: ['pop_retries', 'push_retries'],
};

export interface Exercise {
  /** true: overlapped and contended; false: did not; null: the case has no such measure. */
  readonly exercised: boolean | null;
  /** Why not, in words (null when exercised or not measurable). */
  readonly why: string | null;
}

const num = (kv: Readonly<Record<string, string>>, k: string): number | null => {
  const v = kv[k];
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

export function exerciseOf(kase: TortureCaseName, kv: Readonly<Record<string, string>>): Exercise {
  const fields = CONTENTION_FIELDS[kase];
  if (!fields) return { exercised: null, why: null };
  const concurrent = num(kv, 'concurrent_chunks');
  const chunks = num(kv, 'chunks');
  const counts = fields.map((f) => num(kv, f));
  if (concurrent === null || counts.every((c) => c === null)) return { exercised: null, why: null };
  if (concurrent === 0) return { exercised: false, why: `no chunk overlapped (0 of ${chunks ?? '?'} concurrent)` };
  if (counts.every((c) => !c)) return { exercised: false, why: `${concurrent} of ${chunks ?? '?'} chunks overlapped but no attempt lost a race (${fields.join(', ')} all 0)` };
  return { exercised: true, why: null };
}
