// What a strategy claims about each torture case, as data (STRATEGIES.md,
// "What each is expected to guarantee - and to break"). `mttcg torture` reads
// these claims: a case predicted to pass must pass (else the strategy broke a
// guarantee and the run fails), a case predicted to fail must be seen to fail
// (else the test did not create the race, or the design is better than its
// reputation: an "unexpected-pass" finding). `may-fail` is for races the design
// permits but does not force (the random Treiber stack).

export type Prediction = 'pass' | 'fail' | 'may-fail';

/**
 * Every torture case the suite runs: the programs in torture-tests/atomics,
 * litmus split by mode, and aba-plain once more after one SWP has run (the
 * AIE store helpers switch on at the first SWP).
 */
export const TORTURE_CASE_NAMES = [
  'spinlock-ldrex',
  'atomic-add',
  'atomic-add-spread',
  'swp-lock',
  'swp-mixed',
  'aba-plain',
  'aba-plain-after-swp',
  'aba-llsc',
  'store-diff',
  'store-same',
  'treiber',
  'treiber-aba',
  'strexd-counter',
  'litmus-mp-dmb',
  'litmus-mp-nodmb',
  'litmus-sb-dmb',
  'litmus-sb-nodmb',
  'pthread-stress',
  'syscall-monitor',
  'own-store-window',
  'strex-fail-keeps',
  'fork-counter',
] as const;

export type TortureCaseName = (typeof TORTURE_CASE_NAMES)[number];

export type Guarantees = Readonly<Record<TortureCaseName, Prediction>>;

/** Every case predicted to pass, overridden where the design says otherwise. */
export function guaranteesExcept(overrides: Partial<Record<TortureCaseName, Prediction>>): Guarantees {
  const out = {} as Record<TortureCaseName, Prediction>;
  for (const name of TORTURE_CASE_NAMES) out[name] = overrides[name] ?? 'pass';
  return out;
}

/**
 * The value-comparing STREX of QEMU (cmpxchg and stop-the-world alike): a
 * location changed and changed back compares equal, so every ABA form and the
 * same-value store go unnoticed. The random Treiber stack may or may not hit it.
 */
export const VALUE_COMPARE_WEAKNESSES: Partial<Record<TortureCaseName, Prediction>> = {
  'aba-plain': 'fail',
  'aba-plain-after-swp': 'fail',
  'aba-llsc': 'fail',
  'store-same': 'fail',
  'treiber-aba': 'fail',
  treiber: 'may-fail',
};
