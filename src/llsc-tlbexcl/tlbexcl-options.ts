// The tlbexcl strategy's options (`mttcg run --strategy tlbexcl ...`):
//   --tlbexcl-lock global|page|hashed   exclusive-access lock granularity (default global, as Rigo's)
//   --tlbexcl-unmark-after N            idle slow-path stores before a frame's mark is cleared (default 64)
//   --tlbexcl-monitor version|ranges    the exclusive monitor: a version word per 64-byte line that a LDREX
//                                       only reads (default since session 13, version-monitor.ts) or ranges
//                                       counted on the frame (exclusive-state.ts)
//   --tlbexcl-withdraw plain|atomic     how a STREX's commit on a version word is withdrawn: a plain store
//                                       (default on an x86-64 host: correct by the host's order, TSO) or an
//                                       Atomics.add (default elsewhere); docs/strategy-tlbexcl.md

import type { StrategyOptionSpec, StrategyOptions } from '../emulator/atomics/strategy.js';
import { LOCK_KINDS, type LockKind } from './exclusive-locks.js';

export const LOCK_OPTION = 'tlbexcl-lock';
export const UNMARK_OPTION = 'tlbexcl-unmark-after';
export const MONITOR_OPTION = 'tlbexcl-monitor';
export const WITHDRAW_OPTION = 'tlbexcl-withdraw';
export const DEFAULT_UNMARK_AFTER = 64;
export const MONITOR_KINDS = ['ranges', 'version'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];
/** The version monitor since session 13 (docs/strategy-tlbexcl.md, "The version monitor"). */
export const DEFAULT_MONITOR: MonitorKind = 'version';
export const WITHDRAWALS = ['plain', 'atomic'] as const;
export type Withdrawal = (typeof WITHDRAWALS)[number];
/**
 * Whether this host orders plain stores as the plain withdrawal needs: x86-64 is TSO (stores become visible in
 * program order, and V8 keeps typed-array stores in program order), which the guest's own plain accesses already
 * rely on (docs/litmus.md). Elsewhere the JavaScript memory model alone gives a plain store no order.
 */
export const HOST_ORDERS_PLAIN_STORES = process.arch === 'x64';
/** The plain withdrawal where the host orders plain stores (session 16), the Atomics.add elsewhere. */
export const DEFAULT_WITHDRAWAL: Withdrawal = HOST_ORDERS_PLAIN_STORES ? 'plain' : 'atomic';

export const TLBEXCL_OPTIONS: readonly StrategyOptionSpec[] = [
  { name: LOCK_OPTION, help: 'exclusive-access lock: global (default, as Rigo\'s), page or hashed' },
  { name: UNMARK_OPTION, help: `idle slow-path stores before a page loses its mark (default ${DEFAULT_UNMARK_AFTER})` },
  { name: MONITOR_OPTION, help: 'exclusive monitor: version (default: a LDREX only reads its line\'s version word) or ranges (ranges counted per page)' },
  { name: WITHDRAW_OPTION, help: `the version monitor's commit withdrawal: plain (a plain store; x86-64 hosts only) or atomic (default ${DEFAULT_WITHDRAWAL} here)` },
];
const MAX_UNMARK_AFTER = 1 << 20;

export interface TlbExclOptions {
  readonly lock: LockKind;
  readonly unmarkAfter: number;
  readonly monitor: MonitorKind;
  readonly withdraw: Withdrawal;
}

export class TlbExclOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlbExclOptionError';
  }
}

export function parseTlbExclOptions(options: StrategyOptions): TlbExclOptions {
  const lock = options[LOCK_OPTION] ?? 'global';
  if (typeof lock !== 'string' || !(LOCK_KINDS as readonly string[]).includes(lock)) {
    throw new TlbExclOptionError(`--${LOCK_OPTION} must be one of ${LOCK_KINDS.join(', ')} (got '${String(lock)}')`);
  }
  const raw = options[UNMARK_OPTION] ?? DEFAULT_UNMARK_AFTER;
  const unmarkAfter = Number(raw);
  if (typeof raw === 'boolean' || !Number.isInteger(unmarkAfter) || unmarkAfter < 1 || unmarkAfter > MAX_UNMARK_AFTER) {
    throw new TlbExclOptionError(`--${UNMARK_OPTION} must be a whole number from 1 to ${MAX_UNMARK_AFTER} (got '${String(raw)}')`);
  }
  const monitor = options[MONITOR_OPTION] ?? DEFAULT_MONITOR;
  if (typeof monitor !== 'string' || !(MONITOR_KINDS as readonly string[]).includes(monitor)) {
    throw new TlbExclOptionError(`--${MONITOR_OPTION} must be one of ${MONITOR_KINDS.join(', ')} (got '${String(monitor)}')`);
  }
  const withdraw = options[WITHDRAW_OPTION] ?? DEFAULT_WITHDRAWAL;
  if (typeof withdraw !== 'string' || !(WITHDRAWALS as readonly string[]).includes(withdraw)) {
    throw new TlbExclOptionError(`--${WITHDRAW_OPTION} must be one of ${WITHDRAWALS.join(', ')} (got '${String(withdraw)}')`);
  }
  if (withdraw === 'plain' && !HOST_ORDERS_PLAIN_STORES) {
    throw new TlbExclOptionError(`--${WITHDRAW_OPTION} plain needs an x86-64 host (this one is ${process.arch}): its order rests on the host's`);
  }
  return { lock: lock as LockKind, unmarkAfter, monitor: monitor as MonitorKind, withdraw: withdraw as Withdrawal };
}
