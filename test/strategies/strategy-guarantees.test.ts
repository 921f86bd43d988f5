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
import { defaultSpecTexts, parseStrategySpec } from '../../src/torture/strategy-spec.js';
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

/**
 * Cases whose broken outcome is a STREX that FAILS (a livelock if it happens
 * every time): vCPU 0's reservation must survive what `between` does. Run for
 * every default torture column and variant, plus aie with checks always on at
 * its largest granule (the same class of bug at another chunk size).
 */
const MUST_STORE: Partial<Record<TortureCaseName, (turns: TakingTurns) => void>> = {
  // vCPU 0's own plain store to other bytes of its reserved chunk (a node beside the list head).
  'own-store-window': (turns) => turns.on(0, (v) => W.store(v.ops, X + 4, B)),
  // Another vCPU's LDREX/CLREX and two failing STREX to X leave vCPU 0's reservation alone.
  'strex-fail-keeps': (turns) => turns.on(1, (v) => {
    W.ldrex(v.ops, X);
    v.ops.clrex();
    const s1 = W.strex(v.ops, X, B);
    W.ldrex(v.ops, X);
    W.ldrex(v.ops, ELSEWHERE);
    const s2 = W.strex(v.ops, X, B);
    if (s1 !== 1 || s2 !== 1) throw new Error(`vCPU 1's STREX stored (status ${s1}, ${s2})`);
  }),
};

for (const text of [...defaultSpecTexts(), 'aie:aie-stores=always:aie-granule=64']) {
  const spec = parseStrategySpec(text);
  t.test(`${text}: a reservation survives what must not break it`, async (t) => {
    for (const [c, between] of Object.entries(MUST_STORE) as [TortureCaseName, (turns: TakingTurns) => void][]) {
      if (spec.guarantees[c] !== 'pass') continue;
      const turns = vcpusTakingTurns(spec.strategy.name, 2, spec.strategyOptions);
      turns.on(0, (v) => W.store(v.ops, X, A));
      turns.on(0, (v) => W.ldrex(v.ops, X));
      between(turns);
      t.equal(turns.on(0, (v) => W.strex(v.ops, X, 0x9999n)), 0, `${c}: vCPU 0's STREX stores`);
    }
  });
}

t.test('8 vCPUs reserve one word; 7 failing STREX leave the eighth reservation intact', async (t) => {
  for (const text of [...defaultSpecTexts(), 'aie:aie-stores=always:aie-granule=64']) {
    const spec = parseStrategySpec(text);
    if (spec.guarantees['strex-fail-keeps'] !== 'pass') continue;
    const turns = vcpusTakingTurns(spec.strategy.name, 8, spec.strategyOptions);
    turns.on(0, (v) => W.store(v.ops, X, A));
    for (let k = 0; k < 8; k++) turns.on(k, (v) => W.ldrex(v.ops, X));
    let failed = 0;
    for (let k = 1; k < 8; k++) {
      turns.on(k, (v) => {
        v.ops.clrex();
        failed += W.strex(v.ops, X, B);
      });
    }
    t.equal(failed, 7, `${text}: the 7 STREX after CLREX failed`);
    t.equal(turns.on(0, (v) => W.strex(v.ops, X, 0x9999n)), 0, `${text}: vCPU 0's STREX stores`);
  }
});
