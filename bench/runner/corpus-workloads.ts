// Workloads of real programs (issue 15 item 4): Debian armel pigz, xz and
// zstd from the corpus (scripts/fetch-corpus.sh) compressing a fixed input
// with as many threads as the point has vCPUs, under mttcg -L (each strategy),
// qemu-arm -L and the amd64 build of the same package version. They print no
// BENCH line: an op is one input byte, the timed section is the whole process
// (start-up included, as a user of the program sees it), and the run passes
// its check when its output is the reference's bytes (qemu-arm's output for
// the same thread count, else the native build's). The counters of the mttcg
// runs (guest instructions, kuser cmpxchg and LDREX/STREX counts, slow paths)
// come from --stats-json as for every workload.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCorpus, nativeCommand, writeCorpusInput, type Corpus } from '../../harness/corpus.js';
import { GUEST_ENV } from '../../harness/guest-runner.js';
import { COMPRESSORS, type Compressor } from '../../harness/real-programs.js';
import type { BenchPeer } from './bench-record.js';

/** What makes a workload a corpus program's: which compressor, on how many input bytes. */
export interface CorpusProgram {
  /** A name of harness/real-programs.ts COMPRESSORS. */
  readonly compressor: string;
  readonly bytes: number;
}

/** The input file's name in the scratch directory the runs share. */
const INPUT = 'input.txt';

function compressorOf(p: CorpusProgram): Compressor {
  const c = COMPRESSORS.find((x) => x.name === p.compressor);
  if (!c) throw new Error(`no compressor '${p.compressor}' in harness/real-programs.ts`);
  return c;
}

let corpus: Corpus | null | undefined;

function theCorpus(): Corpus | null {
  if (corpus === undefined) corpus = findCorpus();
  return corpus;
}

/** Whether the peer can run this program here (the corpus fetched; the amd64 build for native; qemu-arm is checked by the plan). */
export function hasCorpusProgram(p: CorpusProgram, peer: BenchPeer): boolean {
  const c = theCorpus();
  if (!c) return false;
  return peer !== 'native' || nativeCommand(c, compressorOf(p).program) !== null;
}

/** Scratch directories with an input of the given size, made once per process and removed at its exit. */
const scratch = new Map<number, string>();

function scratchDir(bytes: number): string {
  let dir = scratch.get(bytes);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'mttcg-bench-corpus-'));
    writeCorpusInput(join(dir, INPUT), bytes);
    if (scratch.size === 0) process.once('exit', () => { for (const d of scratch.values()) rmSync(d, { recursive: true, force: true }); });
    scratch.set(bytes, dir);
  }
  return dir;
}

/** How one peer runs the program: the command, its arguments and the directory (cwd; mttcg's --allow-dir). */
export interface CorpusCommand {
  readonly cmd: string;
  readonly args: readonly string[];
  /** mttcg: the options that go before the program (sysroot, sandbox, environment). */
  readonly mttcgOptions: readonly string[];
  readonly cwd: string;
  /** The command as recorded in results (no scratch paths). */
  readonly recorded: readonly string[];
}

/** The command line of one run; mttcg's is the program and its arguments, for the runner to put `mttcg run` options before. */
export function corpusCommand(p: CorpusProgram, peer: BenchPeer, threads: number): CorpusCommand {
  const c = theCorpus();
  if (!c) throw new Error('the corpus is not fetched (sh scripts/fetch-corpus.sh)');
  const comp = compressorOf(p);
  const cwd = scratchDir(p.bytes);
  const args = comp.compress(threads, INPUT);
  const shown = [comp.program.split('/').at(-1)!, ...args];
  if (peer === 'native') {
    const nat = nativeCommand(c, comp.program);
    if (!nat) throw new Error(`no amd64 build of ${comp.program} in the corpus`);
    return { cmd: nat.file, args: [...nat.prefix, ...args], mttcgOptions: [], cwd, recorded: ['native', ...shown] };
  }
  const exe = join(c.sysroot, comp.program);
  if (peer === 'qemu-arm') return { cmd: 'qemu-arm', args: ['-L', c.sysroot, exe, ...args], mttcgOptions: [], cwd, recorded: ['qemu-arm', '-L', 'SYSROOT', ...shown] };
  const env = Object.entries(GUEST_ENV).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return {
    cmd: exe, args, cwd, mttcgOptions: ['--clean-env', ...env, '-L', c.sysroot, '--allow-dir', cwd],
    recorded: ['-L', 'SYSROOT', ...shown],
  };
}

/** The reference output per (program, threads): qemu-arm's bytes, else the native build's; null when neither runs. */
const references = new Map<string, Buffer | null>();

export function corpusReference(p: CorpusProgram, threads: number, peers: readonly BenchPeer[] = ['qemu-arm', 'native']): Buffer | null {
  const key = `${p.compressor}\u0000${p.bytes}\u0000${threads}`;
  if (!references.has(key)) {
    let out: Buffer | null = null;
    for (const peer of peers) {
      if (!hasCorpusProgram(p, peer)) continue;
      const c = corpusCommand(p, peer, threads);
      const r = spawnSync(c.cmd, c.args, { cwd: c.cwd, env: GUEST_ENV, maxBuffer: 256 << 20, timeout: 600_000 });
      if (r.status === 0 && r.stdout.length > 0) {
        out = r.stdout;
        break;
      }
    }
    references.set(key, out);
  }
  return references.get(key)!;
}
