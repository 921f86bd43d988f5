// The atomic strategies by name (`mttcg run --strategy NAME`). Everything
// else about a strategy (options, torture variants, guarantees, docs) is
// declared by the strategy itself and read from here.

import { aieStrategy } from '../aie/aie-strategy.js';
import { cmpxchgStrategy } from '../cmpxchg-helper/cmpxchg-strategy.js';
import { stopTheWorldStrategy } from '../stop-the-world/stop-the-world-strategy.js';
import { tlbExclStrategy } from '../llsc-tlbexcl/tlbexcl-strategy.js';
import { unsafeStrategy } from '../unsafe/unsafe-strategy.js';
import type { AtomicStrategy } from '../emulator/atomics/strategy.js';

const STRATEGIES: readonly AtomicStrategy[] = [unsafeStrategy, stopTheWorldStrategy, cmpxchgStrategy, tlbExclStrategy, aieStrategy];

export const DEFAULT_STRATEGY = 'cmpxchg';

export function registeredStrategies(): readonly AtomicStrategy[] {
  return STRATEGIES;
}

export function strategyNames(): string[] {
  return STRATEGIES.map((s) => s.name);
}

export function findStrategy(name: string): AtomicStrategy {
  const s = STRATEGIES.find((x) => x.name === name);
  if (!s) throw new Error(`unknown strategy '${name}'; choose one of: ${strategyNames().join(', ')}`);
  return s;
}
