// The benchmark workloads: which guest program, which variant argument, and
// a first guess of each peer's throughput (used only to pick the op count of
// a series' first point; op-counts.ts then aims every point at a duration).

import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../lib/peers.js';
import type { BenchPeer } from './bench-record.js';
import { hasCorpusProgram, type CorpusProgram } from './corpus-workloads.js';

export interface Workload {
  /** The name in results and on the command line, e.g. 'atomic-add-128'. */
  readonly name: string;
  /** Program basename in bench/guest/ (ELF: NAME.elf; native: native/NAME). */
  readonly program: string;
  /** Third guest argument, if any. */
  readonly variant: string | null;
  readonly description: string;
  /** Whether the workload is part of the --quick profile. */
  readonly quick: boolean;
  /**
   * How much its threads fight over shared data at 2 or more vCPUs: 'high'
   * (one hot line or lock: with real overlap some atomic attempts must lose,
   * so a run that counted failures and saw none did not contend), 'low'
   * (rare collisions), 'none' (private data).
   */
  readonly contention: 'high' | 'low' | 'none';
  /** Threads block (futex waits) by design, so a low CPU share is no sign of a starved run. */
  readonly sleeps: boolean;
  /**
   * Rough total ops per second at 1 vCPU on an idle 2-core host, per peer.
   * Only the first op count of a series depends on it, so being off by a
   * factor of a few costs one extra run at most.
   */
  readonly guessOpsPerSec: Readonly<Record<BenchPeer, number>>;
  /**
   * A real program of the Debian corpus instead of a bench/guest program
   * (corpus-workloads.ts): an op is an input byte, its count is fixed (no
   * calibration), and the run's output is checked against qemu-arm's.
   */
  readonly corpus?: CorpusProgram;
}

/** Input bytes per corpus program: runs of some seconds under mttcg (xz executes ~2,000 guest instructions per byte). */
const CORPUS_BYTES: Readonly<Record<string, number>> = { pigz: 256 * 1024, xz: 64 * 1024, zstd: 128 * 1024 };

const ADD = { mttcg: 3e5, 'qemu-arm': 5e7, native: 1e8 } as const;

export const WORKLOADS: readonly Workload[] = [
  ...(['1', '2', '128', '1024'] as const).map((n) => ({
    name: `atomic-add-${n}`,
    program: 'atomic-add',
    variant: n,
    description: `LDREX/STREX increments of ${n} shared counter${n === '1' ? '' : 's'} (one per 64-byte line, picked by xorshift)`,
    quick: n === '1' || n === '1024',
    contention: n === '1' || n === '2' ? ('high' as const) : ('low' as const),
    sleeps: false,
    guessOpsPerSec: ADD,
  })),
  {
    name: 'atomic-add-private',
    program: 'atomic-add',
    variant: 'private',
    description: 'LDREX/STREX increments of a per-thread counter (uncontended atomics)',
    quick: true,
    contention: 'none',
    sleeps: false,
    guessOpsPerSec: ADD,
  },
  {
    name: 'spinlock-ldrex',
    program: 'spinlock',
    variant: 'ldrex',
    description: 'LDREX/STREX test-and-test-and-set spinlock, short critical section beside the lock',
    quick: true,
    contention: 'high',
    sleeps: false,
    guessOpsPerSec: { mttcg: 2e5, 'qemu-arm': 3e7, native: 1e8 },
  },
  {
    name: 'spinlock-swp',
    program: 'spinlock',
    variant: 'swp',
    description: 'SWP test-and-set spinlock (x86-64: xchg), short critical section beside the lock',
    quick: true,
    contention: 'high',
    sleeps: false,
    guessOpsPerSec: { mttcg: 3e5, 'qemu-arm': 2e7, native: 1e8 },
  },
  {
    name: 'treiber-stack',
    program: 'treiber-stack',
    variant: null,
    description: 'Treiber stack pop + push with a tagged 64-bit head (LDREXD/STREXD; x86-64: 64-bit CAS)',
    quick: true,
    contention: 'high',
    sleeps: false,
    guessOpsPerSec: { mttcg: 1.5e5, 'qemu-arm': 1.5e7, native: 5e7 },
  },
  {
    name: 'pthread-mutex',
    program: 'pthread-mutex',
    variant: null,
    description: 'glibc pthread mutex around the same short critical section (armel glibc: kuser cmpxchg + futex)',
    quick: false,
    contention: 'high',
    sleeps: true,
    guessOpsPerSec: { mttcg: 2e5, 'qemu-arm': 7e5, native: 5e7 },
  },
  {
    name: 'parallel-compute',
    program: 'parallel-compute',
    variant: null,
    description: 'non-atomic integer kernel on private data (an op is one work unit of ~500 instructions)',
    quick: true,
    contention: 'none',
    sleeps: false,
    guessOpsPerSec: { mttcg: 4e4, 'qemu-arm': 3e5, native: 1e6 },
  },
  {
    name: 'fork-pipe',
    program: 'fork-pipe',
    variant: null,
    description: 'each thread forks a child per op that answers through a pipe; waitpid (process creation in a multi-threaded parent)',
    quick: false,
    contention: 'low',
    sleeps: true,
    guessOpsPerSec: { mttcg: 50, 'qemu-arm': 400, native: 5000 },
  },
  ...Object.entries(CORPUS_BYTES).map(([name, bytes]) => ({
    name: `${name}-compress`,
    program: name,
    variant: null,
    description: `Debian armel ${name} (the corpus, -L) compressing ${bytes / 1024} KiB of text with one thread per vCPU; an op is an input byte, timed over the whole process`,
    quick: false,
    contention: 'low' as const,
    sleeps: true,
    guessOpsPerSec: { mttcg: 2e4, 'qemu-arm': 1e6, native: 5e6 },
    corpus: { compressor: name, bytes },
  })),
];

export function workloadNames(): string[] {
  return WORKLOADS.map((w) => w.name);
}

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}

export function guestElf(w: Workload): string {
  return join(ROOT, 'bench', 'guest', `${w.program}.elf`);
}

export function nativeBinary(w: Workload): string {
  return join(ROOT, 'bench', 'guest', 'native', w.program);
}

/** Whether a peer has a program for this workload (native binaries may be absent). */
export function hasProgram(w: Workload, peer: BenchPeer): boolean {
  if (w.corpus) return hasCorpusProgram(w.corpus, peer);
  return existsSync(peer === 'native' ? nativeBinary(w) : guestElf(w));
}

/** The guest's argv after the program: threads, ops per thread, [variant]. */
export function guestArgs(w: Workload, vcpus: number, opsPerThread: number): string[] {
  return [String(vcpus), String(opsPerThread), ...(w.variant === null ? [] : [w.variant])];
}

/** A path as recorded in results: relative to the repository root. */
export function fromRoot(path: string): string {
  return relative(ROOT, path);
}
