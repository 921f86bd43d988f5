// The torture cases as the runner sees them: which program in
// torture-tests/atomics, what kind of test it is, and its arguments per
// profile (torture-tests/atomics/README.md: "quick args" and "default args").

import { join } from 'node:path';
import { TORTURE_CASE_NAMES, type TortureCaseName } from '../emulator/atomics/guarantees.js';
import type { TortureProfile } from './matrix-types.js';
import { REPOSITORY_ROOT } from '../host/repository-root.js';

/**
 * counting: N threads hammer shared state, a race may or may not happen
 * (cannot at 1 thread). handshake: pairs A/B, B interferes inside A's window,
 * deterministic. litmus: pairs, memory-order outcomes. stress: glibc
 * pthreads, producers and consumers (at least 2 threads). single: one thread.
 */
export type TortureCaseKind = 'counting' | 'handshake' | 'litmus' | 'stress' | 'single';

export interface TortureCase {
  readonly name: TortureCaseName;
  /** The program's file name in torture-tests/atomics. */
  readonly elf: string;
  /** Its Thumb-2 hard-float build (torture-tests/thumb-build.mk), or null: SWP does not exist in Thumb. */
  readonly thumbElf: string | null;
  /** The `case=` its RESULT line carries. */
  readonly resultCase: string;
  readonly kind: TortureCaseKind;
  /** Iterations (rounds for handshake cases) per profile; the README's quick and default args. */
  readonly iters: Readonly<Record<TortureProfile, number>>;
  /** Arguments after [threads] [iters] (litmus mode, aba-plain's swp). */
  readonly extra: readonly string[];
}

export const TORTURE_DIR = join(REPOSITORY_ROOT, 'torture-tests', 'atomics');

const COUNTING = { quick: 20000, full: 100000 } as const;
const HANDSHAKE = { quick: 100, full: 300 } as const;
const LITMUS = { quick: 5000, full: 20000 } as const;

/** The programs with no Thumb build (torture-tests/atomics/Makefile's THUMB_EXCLUDE). */
const ARM_ONLY = new Set(['swp-lock', 'swp-mixed', 'aba-plain']);

function tc(name: TortureCaseName, kind: TortureCaseKind, iters: Record<TortureProfile, number>, program: string = name, extra: readonly string[] = [], resultCase: string = program): TortureCase {
  return { name, elf: `${program}.elf`, thumbElf: ARM_ONLY.has(program) ? null : `${program}.thumb.elf`, resultCase, kind, iters, extra };
}

const CATALOGUE: readonly TortureCase[] = [
  tc('spinlock-ldrex', 'counting', COUNTING),
  tc('atomic-add', 'counting', COUNTING),
  tc('atomic-add-spread', 'counting', COUNTING),
  tc('swp-lock', 'counting', COUNTING),
  tc('swp-mixed', 'counting', COUNTING),
  tc('aba-plain', 'handshake', HANDSHAKE),
  tc('aba-plain-after-swp', 'handshake', HANDSHAKE, 'aba-plain', ['swp'], 'aba-plain-after-swp'),
  tc('aba-llsc', 'handshake', HANDSHAKE),
  tc('store-diff', 'handshake', HANDSHAKE),
  tc('store-same', 'handshake', HANDSHAKE),
  tc('treiber', 'counting', { quick: 20000, full: 50000 }),
  tc('treiber-aba', 'handshake', HANDSHAKE),
  tc('strexd-counter', 'counting', COUNTING),
  tc('litmus-mp-dmb', 'litmus', LITMUS, 'litmus-mp', ['dmb']),
  tc('litmus-mp-nodmb', 'litmus', LITMUS, 'litmus-mp', ['nodmb']),
  tc('litmus-sb-dmb', 'litmus', LITMUS, 'litmus-sb', ['dmb']),
  tc('litmus-sb-nodmb', 'litmus', LITMUS, 'litmus-sb', ['nodmb']),
  tc('pthread-stress', 'stress', { quick: 2000, full: 10000 }),
  tc('syscall-monitor', 'single', HANDSHAKE),
  tc('own-store-window', 'counting', COUNTING),
  tc('strex-fail-keeps', 'handshake', HANDSHAKE),
  // Processes, not threads: LDREX/STREX add and a LDREX/STREX lock in MAP_SHARED memory across fork.
  tc('fork-counter', 'counting', COUNTING),
];

const BY_NAME = new Map<string, TortureCase>(CATALOGUE.map((c) => [c.name, c]));

// Every guarantee name has exactly one catalogue entry (checked at load, so a
// case added to TORTURE_CASE_NAMES without a program cannot go unnoticed).
for (const n of TORTURE_CASE_NAMES) {
  if (!BY_NAME.has(n)) throw new Error(`torture case '${n}' has no catalogue entry in src/torture/cases.ts`);
}
if (BY_NAME.size !== TORTURE_CASE_NAMES.length) throw new Error('src/torture/cases.ts lists a case that TORTURE_CASE_NAMES does not');

export function tortureCase(name: TortureCaseName): TortureCase {
  return BY_NAME.get(name)!;
}

export function isTortureCaseName(name: string): name is TortureCaseName {
  return BY_NAME.has(name);
}

/** The case's program: its A32 build, or its Thumb build (null when it has none). */
export function elfPath(c: TortureCase, thumb = false): string | null {
  const file = thumb ? c.thumbElf : c.elf;
  return file === null ? null : join(TORTURE_DIR, file);
}

/**
 * The lowest iteration count a scaled run may use: a counting case needs a
 * few of its barrier-separated chunks (512 iterations; treiber 256) to
 * overlap at all, a handshake case a few rounds, litmus enough iterations for
 * a reordering to show.
 */
const MIN_ITERS: Readonly<Record<TortureCaseKind, number>> = {
  counting: 1024,
  handshake: 20,
  litmus: 500,
  stress: 200,
  single: 20,
};

/** Iterations for a profile and scale: round(iters * scale), but not below the kind's floor (or the unscaled count, if that is smaller). */
export function scaledIters(c: TortureCase, profile: TortureProfile, scale: number): number {
  const base = c.iters[profile];
  if (scale === 1) return base;
  return Math.max(Math.min(MIN_ITERS[c.kind], base), Math.round(base * scale));
}

/** Cases whose programs run in A/B pairs or producer/consumer pairs: they need at least 2 vCPUs. */
export function needsTwoThreads(c: TortureCase): boolean {
  return c.kind === 'handshake' || c.kind === 'litmus' || c.kind === 'stress';
}

/**
 * The guest thread count for a column's vCPU count, or null when the case
 * cannot run at that count (a pair-based case at 1 vCPU: the program would
 * silently run 2 threads, which the column's label would misstate). Pair-based
 * cases run threads/2 pairs, so an odd count is rounded down to even here,
 * where the program would round it anyway. syscall-monitor always runs 1.
 */
export function guestThreads(c: TortureCase, threads: number): number | null {
  if (c.kind === 'single') return 1;
  if (threads < 2 && needsTwoThreads(c)) return null;
  if (c.kind === 'handshake' || c.kind === 'litmus') return threads - (threads % 2);
  return threads;
}

/** The guest's argv after the program name, or null when the case is n/a at this vCPU count. */
export function caseArgs(c: TortureCase, profile: TortureProfile, threads: number, scale: number): string[] | null {
  const t = guestThreads(c, threads);
  if (t === null) return null;
  return [String(t), String(scaledIters(c, profile, scale)), ...c.extra];
}
