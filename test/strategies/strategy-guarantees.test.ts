// Sanity of the guarantees every registered strategy declares as data
// (atomics/guarantees.ts): every torture case has a valid prediction, and the
// predictions for the cases a deterministic two-vCPU interleaving can decide
// agree with the strategy's actual behaviour here. A strategy claiming 'pass'
// on aba-plain must not be fooled by A->B->A (so it does not compare values);
// one claiming 'fail' must be fooled, or the prediction is stale.

import t from 'tap';
import { type Prediction, TORTURE_CASE_NAMES, type TortureCaseName } from '../../src/emulator/atomics/guarantees.js';
import { findStrategy, strategyNames } from '../../src/machine/strategy-registry.js';
import { DATA_BASE, type TakingTurns, vcpusTakingTurns } from '../../harness/vcpu-harness.js';
import { SWP_MEMOPS } from '../../harness/lowered-atomics.js';
import { SizedAccess } from './sized-access.js';

const PREDICTIONS: readonly Prediction[] = ['pass', 'fail', 'may-fail'];
const X = DATA_BASE + 0x400;
const ELSEWHERE = DATA_BASE + 0x800;
const A = 0x1234n;
const B = 0x5678n;
const W = new SizedAccess('W');

interface Interleaving {
  /** Runs before vCPU 0's LDREX. */
  readonly setup?: (turns: TakingTurns) => void;
  /** Runs between vCPU 0's LDREX and its STREX. */
  readonly between: (turns: TakingTurns) => void;
}

const ABA_BY_PLAIN_STORES = (turns: TakingTurns): void =>
  turns.on(1, (v) => { W.store(v.ops, X, B); W.store(v.ops, X, A); });

/**
 * Torture cases reduced to one deterministic interleaving: vCPU 0 does LDREX
 * at X (holding A), `between` runs, vCPU 0 does STREX. The broken outcome, the
 * one the torture case detects, is a STREX that succeeds.
 */
const DECIDABLE: Partial<Record<TortureCaseName, Interleaving>> = {
  'aba-plain': { between: ABA_BY_PLAIN_STORES },
  // AIE switches its store helpers on at the first SWP anywhere.
  'aba-plain-after-swp': {
    setup: (turns) => turns.on(1, (v) => v.ops.swp(ELSEWHERE, 1, SWP_MEMOPS.W)),
    between: ABA_BY_PLAIN_STORES,
  },
  'aba-llsc': {
    between: (turns) => turns.on(1, (v) => {
      W.ldrex(v.ops, X);
      W.strex(v.ops, X, B);
      W.ldrex(v.ops, X);
      W.strex(v.ops, X, A);
    }),
  },
  'store-diff': { between: (turns) => turns.on(1, (v) => W.store(v.ops, X, B)) },
  'store-same': { between: (turns) => turns.on(1, (v) => W.store(v.ops, X, A)) },
  'syscall-monitor': { between: (turns) => turns.on(0, (v) => v.ops.syscall()) },
};

function strexSucceeds(strategy: string, il: Interleaving): boolean {
  const turns = vcpusTakingTurns(strategy, 2);
  turns.on(0, (v) => W.store(v.ops, X, A));
  il.setup?.(turns);
  turns.on(0, (v) => W.ldrex(v.ops, X));
  il.between(turns);
  return turns.on(0, (v) => W.strex(v.ops, X, 0x9999n)) === 0;
}

for (const name of strategyNames()) {
  const strategy = findStrategy(name);
  const claims = strategy.guarantees({});

  t.test(`${name}: declares a prediction for every torture case`, async (t) => {
    t.equal(strategy.name, name, 'registered under its own name');
    t.ok(strategy.origin.trim().length > 0, 'says where the design comes from');
    t.same(Object.keys(claims).sort(), [...TORTURE_CASE_NAMES].sort(), 'exactly the TORTURE_CASE_NAMES');
    for (const c of TORTURE_CASE_NAMES) t.ok(PREDICTIONS.includes(claims[c]), `${c}: '${claims[c]}' is a prediction`);
  });

  t.test(`${name}: predictions agree with a deterministic interleaving`, async (t) => {
    for (const [c, il] of Object.entries(DECIDABLE) as [TortureCaseName, Interleaving][]) {
      const claim = claims[c];
      if (claim === 'may-fail') continue;
      const broken = strexSucceeds(name, il);
      if (claim === 'pass') t.notOk(broken, `${c}: claims 'pass', so STREX must fail here`);
      else t.ok(broken, `${c}: claims 'fail', so STREX succeeds here (the weakness is real)`);
    }
  });
}

t.test('a strategy claiming pass on aba-plain does not compare values', async (t) => {
  // The same fact as above, stated for the case the brief names: every
  // strategy whose STREX is fooled by A->B->A must not claim 'pass'.
  let checked = 0;
  for (const name of strategyNames()) {
    const fooled = strexSucceeds(name, DECIDABLE['aba-plain']!);
    if (fooled) t.not(findStrategy(name).guarantees({})['aba-plain'], 'pass', `${name} is fooled by ABA`);
    checked++;
  }
  t.ok(checked >= 3, `checked ${checked} strategies`);
});
