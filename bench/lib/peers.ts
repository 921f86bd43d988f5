// Runs a benchmark guest under mttcg and under qemu-arm and parses the
// guest's own BENCH line (it times its parallel section itself). Both run
// under SCHED_FIFO when a bench asked for it (lib/realtime.ts).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../src/host/repository-root.js';
import { realtimeCommand } from './realtime.js';

export const ROOT = REPOSITORY_ROOT;
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** The command a user runs (package.json "bin"): a launcher that starts Node on CLI (bin/mttcg). */
export const BIN = join(ROOT, 'bin', 'mttcg');

export interface BenchLine {
  readonly fields: Record<string, string>;
  readonly ns: number;
  readonly ops: number;
}

export interface PeerRun {
  readonly line: BenchLine;
  /** Guest instructions from mttcg --stats (null for qemu-arm). */
  readonly guestInsns: number | null;
  readonly stats: Record<string, unknown> | null;
}

export function parseBenchLine(stdout: string): BenchLine {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`no BENCH line in guest output:\n${stdout.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const kv of line.slice(6).split(' ')) {
    const i = kv.indexOf('=');
    if (i > 0) fields[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return { fields, ns: Number(fields.ns), ops: Number(fields.ops) };
}

/**
 * How long one benchmark run may take before it is killed (SIGKILL) unless
 * the caller gives its own limit: a guest whose threads spin-wait can
 * livelock (under SCHED_FIFO, a same-priority thread that never gets a core),
 * and a bench must end with an error, not hang the host.
 */
export const RUN_LIMIT_MS = 600_000;

/** spawnSync's result as a run's error, naming a kill by the time limit. */
function failure(peer: string, r: ReturnType<typeof spawnSync>, limitMs: number): Error {
  if (r.signal === 'SIGKILL' || (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    return new Error(`${peer} killed after its time limit of ${limitMs} ms`);
  }
  return new Error(`${peer} failed (${r.status ?? r.signal}): ${String(r.stderr)}`);
}

/**
 * One run under mttcg, with `--stats-json` unless `stats` is false. --stats
 * times the helpers generated code calls, so it wraps every function a
 * strategy binds (exec/vcpu-timing.ts), inline fast paths too (tlbexcl's
 * a_ldx / a_stxr, called once per LDREX and STREX; cmpxchg's calls none): a
 * timed figure compared across strategies comes from a run without it.
 */
export function runUnderMttcg(
  elf: string, args: readonly string[], options: readonly string[] = [], limitMs = RUN_LIMIT_MS, stats = true,
): PeerRun {
  const statsFile = stats ? join(mkdtempSync(join(tmpdir(), 'mttcg-bench-')), 'stats.json') : null;
  const statsArgs = statsFile ? ['--stats-json', statsFile] : [];
  const [cmd, argv] = realtimeCommand(process.execPath, [CLI, 'run', ...statsArgs, ...options, elf, ...args]);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 16 << 20, timeout: limitMs, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw failure('mttcg', r, limitMs);
  if (!statsFile) return { line: parseBenchLine(r.stdout), guestInsns: null, stats: null };
  const summary = JSON.parse(readFileSync(statsFile, 'utf8')) as { totals: Record<string, number> };
  return { line: parseBenchLine(r.stdout), guestInsns: summary.totals.guestInsns ?? null, stats: summary };
}

export function qemuVersion(): string | null {
  const r = spawnSync('qemu-arm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : null;
}

export function runUnderQemu(elf: string, args: readonly string[], limitMs = RUN_LIMIT_MS): PeerRun {
  const [cmd, argv] = realtimeCommand('qemu-arm', [elf, ...args]);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 16 << 20, timeout: limitMs, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw failure('qemu-arm', r, limitMs);
  return { line: parseBenchLine(r.stdout), guestInsns: null, stats: null };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
