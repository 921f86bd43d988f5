// Options that tune a strategy (passed to it as StrategyOptions).

import type { StrategyOptions } from '../emulator/atomics/strategy.js';
import type { OptionSpec, Parsed } from './option-parser.js';

export const STRATEGY_OPTION_SPECS: readonly OptionSpec[] = [];

export function parseStrategyOptions(p: Parsed): StrategyOptions {
  const out: Record<string, string | number | boolean> = {};
  for (const s of STRATEGY_OPTION_SPECS) {
    const v = p.values.get(s.name);
    if (typeof v === 'string' || typeof v === 'boolean') out[s.name] = v;
  }
  return out;
}
