// Options that tune a strategy (passed to it as StrategyOptions).

import type { StrategyOptions } from '../emulator/atomics/strategy.js';
import { parseAieOptions } from '../aie/aie-options.js';
import { parseTlbExclOptions } from '../llsc-tlbexcl/tlbexcl-options.js';
import { UsageError, type OptionSpec, type Parsed } from './option-parser.js';

export const STRATEGY_OPTION_SPECS: readonly OptionSpec[] = [
  { name: 'tlbexcl-lock', kind: 'string', help: 'tlbexcl: exclusive-access lock: global (default, as Rigo\'s), page or hashed' },
  { name: 'tlbexcl-unmark-after', kind: 'string', help: 'tlbexcl: idle slow-path stores before a page loses its mark (default 64)' },
  { name: 'aie-granule', kind: 'string', help: 'aie: bytes per chunk (one lock and reservation set each): 16 (default), 32 or 64' },
  { name: 'aie-stores', kind: 'string', help: 'aie: plain-store checks: off, after-swp (default, as the RFC) or always' },
  { name: 'aie-arena-mb', kind: 'string', help: 'aie: MiB of shared arena for radix-tree nodes, entries and sets (default 32)' },
];

/** Checks of option values, by strategy: each throws an Error whose message is for the user. */
const STRATEGY_OPTION_CHECKS: readonly ((options: StrategyOptions) => unknown)[] = [parseTlbExclOptions, parseAieOptions];

export function parseStrategyOptions(p: Parsed): StrategyOptions {
  const out: Record<string, string | number | boolean> = {};
  for (const s of STRATEGY_OPTION_SPECS) {
    const v = p.values.get(s.name);
    if (typeof v === 'string' || typeof v === 'boolean') out[s.name] = v;
  }
  for (const check of STRATEGY_OPTION_CHECKS) {
    try {
      check(out);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return out;
}
