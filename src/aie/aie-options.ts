// The options of the aie strategy (`--aie-granule`, `--aie-stores`,
// `--aie-arena-mb`, `--aie-monitor`), parsed from the StrategyOptions the CLI collects. Bad
// values throw an AieOptionError that names the option (the CLI turns it into
// a usage error: strategy-options.ts).

import type { StrategyOptionSpec, StrategyOptions } from '../emulator/atomics/strategy.js';

export const AIE_OPTIONS: readonly StrategyOptionSpec[] = [
  { name: 'aie-granule', help: 'bytes per chunk (one lock and reservation set each): 16 (default), 32 or 64' },
  { name: 'aie-stores', help: 'plain-store checks: off, after-swp (default, as the RFC) or always' },
  { name: 'aie-arena-mb', help: 'MiB of shared arena for radix-tree nodes, entries and sets (default 32)' },
  { name: 'aie-monitor', help: 'how a LDREX reserves its chunk: version (default: reads its version) or set (joins the chunk\'s reservation set)' },
];

export class AieOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AieOptionError';
  }
}

/** When plain stores check AIE entries (the RFC's pre/post-store helpers). */
export const enum StoreMode {
  /** Never: plain stores ignore reservations (the RFC before any SWP, forever). */
  OFF = 0,
  /** From the first SWP on (the RFC's behaviour, the default). */
  AFTER_SWP = 1,
  /** From the start. */
  ALWAYS = 2,
}

export const STORE_MODE_NAMES: readonly string[] = ['off', 'after-swp', 'always'];

/** What a reservation is (docs/strategy-aie.md, "The version monitor"). */
export const enum Monitor {
  /** Membership of the chunk's set (Cota's tiny_set): a store under the entry lock empties it. */
  SET = 0,
  /** The chunk's version as the LDREX read it: a store under the entry lock advances it. */
  VERSION = 1,
}

export const MONITOR_NAMES: readonly string[] = ['set', 'version'];

export const DEFAULT_GRANULE = 16;
export const DEFAULT_ARENA_MB = 32;
export const MAX_ARENA_MB = 1024;

export interface AieOptions {
  /** Bytes per chunk (one lock and one reservation set each): 16, 32 or 64. */
  readonly granule: number;
  /** log2(granule). */
  readonly granuleShift: number;
  readonly storeMode: StoreMode;
  /** Size of the shared arena for radix-tree nodes, entries and set overflow blocks. */
  readonly arenaMb: number;
  readonly monitor: Monitor;
}

function text(options: StrategyOptions, name: string): string | undefined {
  const v = options[name];
  return v === undefined || v === false ? undefined : String(v);
}

export function parseAieOptions(options: StrategyOptions): AieOptions {
  const g = text(options, 'aie-granule') ?? String(DEFAULT_GRANULE);
  if (g !== '16' && g !== '32' && g !== '64') {
    throw new AieOptionError(`--aie-granule must be 16, 32 or 64 (bytes per AIE chunk; got '${g}')`);
  }
  const granule = Number(g);
  const s = text(options, 'aie-stores') ?? 'after-swp';
  const storeMode = STORE_MODE_NAMES.indexOf(s);
  if (storeMode < 0) throw new AieOptionError(`--aie-stores must be off, after-swp or always (got '${s}')`);
  const a = text(options, 'aie-arena-mb') ?? String(DEFAULT_ARENA_MB);
  const arenaMb = Number(a);
  if (!/^\d+$/.test(a) || arenaMb < 1 || arenaMb > MAX_ARENA_MB) {
    throw new AieOptionError(`--aie-arena-mb must be a whole number of MiB from 1 to ${MAX_ARENA_MB} (got '${a}')`);
  }
  const m = text(options, 'aie-monitor') ?? 'version';
  const monitor = MONITOR_NAMES.indexOf(m);
  if (monitor < 0) throw new AieOptionError(`--aie-monitor must be version or set (got '${m}')`);
  return { granule, granuleShift: Math.log2(granule), storeMode: storeMode as StoreMode, arenaMb, monitor: monitor as Monitor };
}
