// Every registered strategy declares itself completely: an existing doc page,
// options named after it (and known to the CLI), torture variants that parse
// as specs, and an option check that refuses a bad value of each option.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { STRATEGY_OPTION_SPECS } from '../../../src/cli/strategy-options.js';
import { registeredStrategies } from '../../../src/machine/strategy-registry.js';
import { parseStrategySpec, TORTURE_VARIANT_SPECS } from '../../../src/torture/strategy-spec.js';
import { ROOT } from '../../../harness/guest-runner.js';

t.test('each strategy declares a doc page, its options and its variants', async (t) => {
  for (const s of registeredStrategies()) {
    t.ok(existsSync(join(ROOT, s.doc)), `${s.name}: ${s.doc} exists`);
    t.ok(s.origin.length > 0, `${s.name}: origin given`);
    for (const o of s.options) {
      t.ok(o.name.startsWith(`${s.name}-`), `${s.name}: option ${o.name} carries the strategy's name`);
      t.ok(STRATEGY_OPTION_SPECS.some((c) => c.name === o.name && c.help === `${s.name}: ${o.help}`), `${o.name} is a CLI option`);
      t.throws(() => s.checkOptions({ [o.name]: 'not-a-value' }), new RegExp(o.name), `${o.name}: a bad value is refused by name`);
    }
    t.doesNotThrow(() => s.checkOptions({}), `${s.name}: the defaults are valid`);
    for (const v of s.tortureVariants) {
      const spec = parseStrategySpec(`${s.name}:${v}`);
      t.equal(spec.strategy, s, `${s.name}:${v} parses as a spec of ${s.name}`);
    }
  }
  t.equal(STRATEGY_OPTION_SPECS.length, registeredStrategies().reduce((n, s) => n + s.options.length, 0), 'the CLI has no other strategy options');
  t.same(TORTURE_VARIANT_SPECS,
    ['tlbexcl:tlbexcl-lock=page', 'tlbexcl:tlbexcl-monitor=ranges', 'tlbexcl:tlbexcl-withdraw=atomic', 'aie:aie-stores=off', 'aie:aie-stores=always', 'aie:aie-monitor=set:aie-stores=always'],
    'the default variants');
});
