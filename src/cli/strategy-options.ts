// Options that tune a strategy (passed to it as StrategyOptions): each
// registered strategy declares its own (AtomicStrategy.options), checks their
// values, and gets them on the command line with its name as the help prefix.

import type { StrategyOptions } from '../emulator/atomics/strategy.js';
import { registeredStrategies } from '../machine/strategy-registry.js';
import { UsageError, type OptionSpec, type Parsed } from './option-parser.js';

export const STRATEGY_OPTION_SPECS: readonly OptionSpec[] = registeredStrategies().flatMap((s) =>
  s.options.map((o): OptionSpec => ({ name: o.name, kind: 'string', help: `${s.name}: ${o.help}` })));

/**
 * The strategy options given. With `selected` (the strategy the run uses), an
 * option that belongs to another strategy is a usage error, not ignored.
 */
export function parseStrategyOptions(p: Parsed, selected?: string): StrategyOptions {
  const out: Record<string, string | number | boolean> = {};
  for (const s of STRATEGY_OPTION_SPECS) {
    const v = p.values.get(s.name);
    if (typeof v === 'string' || typeof v === 'boolean') out[s.name] = v;
  }
  if (selected !== undefined) {
    for (const strategy of registeredStrategies()) {
      if (strategy.name === selected) continue;
      const foreign = strategy.options.find((o) => o.name in out);
      if (foreign) {
        throw new UsageError(`--${foreign.name} is an option of strategy ${strategy.name}, but this run uses ${selected} (add --strategy ${strategy.name}, or drop it)`);
      }
    }
  }
  for (const strategy of registeredStrategies()) {
    try {
      strategy.checkOptions(out);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return out;
}
