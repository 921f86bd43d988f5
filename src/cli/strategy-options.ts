// Options that tune a strategy (passed to it as StrategyOptions): each
// registered strategy declares its own (AtomicStrategy.options), checks their
// values, and gets them on the command line with its name as the help prefix.

import type { StrategyOptions } from '../emulator/atomics/strategy.js';
import { registeredStrategies } from '../machine/strategy-registry.js';
import { UsageError, type OptionSpec, type Parsed } from './option-parser.js';

export const STRATEGY_OPTION_SPECS: readonly OptionSpec[] = registeredStrategies().flatMap((s) =>
  s.options.map((o): OptionSpec => ({ name: o.name, kind: 'string', help: `${s.name}: ${o.help}` })));

export function parseStrategyOptions(p: Parsed): StrategyOptions {
  const out: Record<string, string | number | boolean> = {};
  for (const s of STRATEGY_OPTION_SPECS) {
    const v = p.values.get(s.name);
    if (typeof v === 'string' || typeof v === 'boolean') out[s.name] = v;
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
