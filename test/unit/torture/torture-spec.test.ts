// Strategy specs for `mttcg torture`: NAME or NAME:KEY=VALUE; bad specs are
// usage errors that say what is wrong.

import t from 'tap';
import { strategyNames } from '../../../src/machine/strategy-registry.js';
import { UsageError } from '../../../src/cli/option-parser.js';
import { STRATEGY_OPTION_SPECS } from '../../../src/cli/strategy-options.js';
import { DEFAULT_TORTURE_SPECS, defaultSpecTexts, parseStrategySpec, TORTURE_VARIANT_SPECS } from '../../../src/torture/strategy-spec.js';

t.test('a bare name: the strategy with default options', async (t) => {
  const s = parseStrategySpec('cmpxchg');
  t.equal(s.text, 'cmpxchg');
  t.equal(s.strategy.name, 'cmpxchg');
  t.same(s.options, {});
  t.same(s.runArgs, ['--strategy', 'cmpxchg']);
  t.equal(s.guarantees['aba-plain'], 'fail', 'its declared guarantees');
  t.equal(s.guarantees['store-diff'], 'pass');
});

t.test('bad specs are usage errors', async (t) => {
  const bad: [string, RegExp][] = [
    ['nosuch', /unknown strategy 'nosuch'; choose one of: .*cmpxchg/],
    ['', /no strategy name/],
    [':x=1', /no strategy name/],
    ['cmpxchg:no-such-option=1', /unknown option 'no-such-option'/],
    ['cmpxchg:', /empty option/],
  ];
  for (const [text, re] of bad) {
    t.throws(() => parseStrategySpec(text), UsageError, `'${text}' is refused`);
    t.throws(() => parseStrategySpec(text), re, `'${text}': says why`);
  }
});

// A real option with a real value: tlbexcl's lock mode (skipped if renamed).
const lockOption = STRATEGY_OPTION_SPECS.find((s) => s.name === 'tlbexcl-lock');
const haveTlbExcl = strategyNames().includes('tlbexcl') && lockOption !== undefined;

t.test('KEY=VALUE becomes --KEY VALUE and the strategy option', { skip: haveTlbExcl ? false : 'no tlbexcl strategy with a tlbexcl-lock option' }, async (t) => {
  const s = parseStrategySpec('tlbexcl:tlbexcl-lock=page');
  t.equal(s.text, 'tlbexcl:tlbexcl-lock=page');
  t.same(s.options, { 'tlbexcl-lock': 'page' });
  t.same(s.runArgs, ['--strategy', 'tlbexcl', '--tlbexcl-lock', 'page']);
  t.equal(s.strategyOptions['tlbexcl-lock'], 'page', 'passed to the strategy as mttcg run would');
  t.throws(() => parseStrategySpec('tlbexcl:tlbexcl-lock=page:tlbexcl-lock=global'), /given twice/);
  t.throws(() => parseStrategySpec('tlbexcl:tlbexcl-lock'), /needs a value/);
  t.throws(() => parseStrategySpec('tlbexcl:tlbexcl-lock=nonsense'), UsageError, 'a value the strategy refuses');
  t.throws(() => parseStrategySpec('tlbexcl:tlbexcl-lock=nonsense'), /strategy spec 'tlbexcl:tlbexcl-lock=nonsense': .*tlbexcl-lock/);
});

t.test('defaults: every registered strategy, then the variants', async (t) => {
  t.same(DEFAULT_TORTURE_SPECS, strategyNames());
  t.same(defaultSpecTexts(), [...strategyNames(), ...TORTURE_VARIANT_SPECS]);
  for (const v of TORTURE_VARIANT_SPECS) t.doesNotThrow(() => parseStrategySpec(v), `variant '${v}' parses`);
});
