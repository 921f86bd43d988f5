// Runs one benchmark process (one repeat of one point) under its peer and
// turns what happened into measurements or an error: it never throws for a
// guest failure, a timeout or a malformed BENCH line.

import { spawnTied } from '../../src/host/tied-children.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, parseBenchLine, type BenchLine } from '../lib/peers.js';
import type { BenchPeer, GuestEvidence, VcpuCpu } from './bench-record.js';
import { LoadSampler, type LoadEvidence } from '../../src/host/load-sampler.js';
import { fromRoot, guestArgs, guestElf, nativeBinary, type Workload } from './workloads.js';
import { parseWindow } from './bench-window.js';
import { corpusCommand, corpusReference, type CorpusProgram } from './corpus-workloads.js';
import { GUEST_ENV } from '../../harness/guest-runner.js';

export interface PointRun {
  readonly workload: Workload;
  readonly peer: BenchPeer;
  /** `mttcg run` arguments selecting the strategy (empty for the other peers). */
  readonly strategyArgs: readonly string[];
  readonly vcpus: number;
  readonly opsPerThread: number;
  readonly timeoutSeconds: number;
}

export interface PointOutcome {
  readonly ok: boolean;
  readonly error: string | null;
  /** True when the run hit its time limit. */
  readonly timedOut: boolean;
  /** Total ops and timed ns from the BENCH line (ops planned and ns 0 without one). */
  readonly ops: number;
  readonly ns: number;
  /** Untimed warm-up ops of all threads (BENCH warmup=), 0 without a line. */
  readonly warmupOps: number;
  readonly haveLine: boolean;
  readonly counters: Record<string, number> | null;
  readonly guestInsns: number | null;
  /** The guest's own evidence from its BENCH line (null without a usable line, or an old guest). */
  readonly evidence: GuestEvidence | null;
  /** Host load sampled while the run was in progress. */
  readonly load: LoadEvidence;
  /** mttcg: each vCPU's host thread from --stats. */
  readonly vcpuCpu: VcpuCpu[] | null;
  readonly wallMs: number;
  /** The command as recorded: paths relative to the repository root. */
  readonly args: string[];
}

/** Extra seconds the runner waits after mttcg's own --timeout before killing it. */
const KILL_GRACE_SECONDS = 15;
const OUTPUT_LIMIT = 1 << 20;

/** A corpus program's whole output is kept (compressed data, compared with the reference's bytes). */
const BYTES_LIMIT = 256 << 20;

interface Exit {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** stdout's bytes (up to BYTES_LIMIT). */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
  readonly killed: boolean;
}

function spawnCollect(cmd: string, argv: readonly string[], killAfterMs: number, where: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Exit> {
  return new Promise((resolve) => {
    // Tied: a SIGINT/SIGTERM to the benchmark run kills the point's process too.
    const child = spawnTied(cmd, argv, where);
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let killed = false;
    const out = (): { stdout: string; stdoutBytes: Buffer } => {
      const stdoutBytes = Buffer.concat(chunks);
      return { stdoutBytes, stdout: stdoutBytes.subarray(0, OUTPUT_LIMIT).toString('utf8') };
    };
    child.stdout.on('data', (d: Buffer) => {
      if (size < BYTES_LIMIT) chunks.push(d);
      size += d.length;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < OUTPUT_LIMIT) stderr += d;
    });
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, ...out(), stderr: `${stderr}${e.message}`, killed });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, ...out(), stderr, killed });
    });
  });
}

/** The last lines of a process's stderr, for an error message. */
function tail(text: string): string {
  const lines = text.trim().split('\n').filter((l) => l.trim() !== '');
  const t = lines.slice(-3).join(' | ');
  return t.length > 400 ? `...${t.slice(-400)}` : t;
}

/** What the exit says went wrong; `checkFailed`: the BENCH line said check=fail. */
function exitError(peer: BenchPeer, e: Exit, timeoutSeconds: number, checkFailed: boolean): string | null {
  if (e.killed) return `timeout: killed after ${timeoutSeconds + (peer === 'mttcg' ? KILL_GRACE_SECONDS : 0)} s`;
  if (e.status === 0) return null;
  const why = tail(e.stderr);
  const suffix = why ? `: ${why}` : '';
  if (e.signal) return `killed by ${e.signal}${suffix}`;
  if (e.status === null) return `could not start${suffix}`;
  if (peer === 'mttcg' && e.status === 124) return `timeout: mttcg stopped the run after ${timeoutSeconds} s`;
  if (peer === 'mttcg' && e.status === 125) return `guest deadlock (mttcg exit 125)${suffix}`;
  if (peer === 'mttcg' && e.status === 70) return `mttcg internal error (exit 70)${suffix}`;
  if (e.status === 1 && checkFailed) return `guest self-check failed (exit 1)${suffix}`;
  return `exit ${e.status}${suffix}`;
}

/** Validates the BENCH line against what was asked for; returns an error or null. */
function lineError(line: BenchLine, run: PointRun): string | null {
  const want = run.vcpus * run.opsPerThread;
  if (line.fields.workload !== run.workload.name) return `BENCH line names workload '${line.fields.workload}', expected '${run.workload.name}'`;
  if (Number(line.fields.threads) !== run.vcpus) return `BENCH line has threads=${line.fields.threads}, expected ${run.vcpus}`;
  if (line.ops !== want) return `BENCH line has ops=${line.fields.ops}, expected ${want}`;
  if (!Number.isFinite(line.ns) || line.ns <= 0) return `BENCH line has a bad ns=${line.fields.ns}`;
  if (line.fields.check !== 'pass') return `guest self-check: check=${line.fields.check ?? '(missing)'}`;
  return null;
}

interface StatsFile {
  readonly counters: Record<string, number> | null;
  readonly vcpuCpu: VcpuCpu[] | null;
}

/** Counters (totals) and each vCPU's host-thread CPU from `mttcg run --stats-json`. */
function readStats(file: string): StatsFile {
  let stats: { totals?: Record<string, unknown>; threads?: Record<string, unknown>[] };
  try {
    stats = JSON.parse(readFileSync(file, 'utf8')) as typeof stats;
  } catch {
    return { counters: null, vcpuCpu: null };
  }
  const counters: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats.totals ?? {})) if (typeof v === 'number') counters[k] = v;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const vcpuCpu: VcpuCpu[] = [];
  for (const t of stats.threads ?? []) {
    const cpuNs = num(t.vcpuCpuNs);
    const wallNs = num(t.vcpuWallNs);
    if (cpuNs === null || wallNs === null) continue;
    vcpuCpu.push({ tid: num(t.tid) ?? -1, cpuNs, waitNs: num(t.vcpuRunqueueWaitNs), wallNs });
  }
  return { counters, vcpuCpu: vcpuCpu.length ? vcpuCpu : null };
}

/** The evidence fields of a BENCH line (bench.h), or null for a guest that does not print them. */
export function parseEvidence(fields: Readonly<Record<string, string>>, threads: number): GuestEvidence | null {
  const { cpu, wall, chunks, concurrent, fails } = fields;
  if (cpu === undefined || wall === undefined || chunks === undefined || concurrent === undefined) return null;
  const cpus = cpu.split(':').map((x) => (x === '-' ? null : Number(x)));
  const walls = wall.split(':').map(Number);
  if (cpus.length !== threads || walls.length !== threads) return null;
  if (cpus.some((x) => x !== null && !(x >= 0)) || walls.some((x) => !(x >= 0))) return null;
  const c = Number(chunks);
  const k = Number(concurrent);
  const f = fails === undefined ? null : Number(fails);
  if (!Number.isInteger(c) || !Number.isInteger(k) || k > c || (f !== null && !(f >= 0))) return null;
  const window = parseWindow(fields, threads);
  return { threadCpuNs: cpus, threadWallNs: walls, chunks: c, concurrentChunks: k, failures: f, ...(window ? { window } : {}) };
}

/**
 * A corpus program's point (corpus-workloads.ts): no BENCH line; ops are the
 * input bytes, ns the process's wall time, and the check is the reference's
 * bytes. Counters and vCPU times come from --stats-json as for a guest.
 */
async function runCorpusPoint(run: PointRun, program: CorpusProgram): Promise<PointOutcome> {
  const c = corpusCommand(program, run.peer, run.vcpus);
  let cmd = c.cmd;
  let cmdArgs = [...c.args];
  let recorded = [...c.recorded];
  let statsDir: string | null = null;
  let killAfterMs = run.timeoutSeconds * 1000;
  if (run.peer === 'mttcg') {
    statsDir = mkdtempSync(join(tmpdir(), 'mttcg-bench-'));
    const runOpts = ['--timeout', String(run.timeoutSeconds), ...run.strategyArgs];
    cmd = process.execPath;
    cmdArgs = [CLI, 'run', '--stats-json', join(statsDir, 'stats.json'), ...runOpts, ...c.mttcgOptions, c.cmd, ...c.args];
    recorded = ['mttcg', 'run', '--stats', ...runOpts, ...recorded];
    killAfterMs += KILL_GRACE_SECONDS * 1000;
  }
  const reference = corpusReference(program, run.vcpus);
  const started = process.hrtime.bigint();
  const sampler = new LoadSampler();
  const exit = await spawnCollect(cmd, cmdArgs, killAfterMs, { cwd: c.cwd, env: GUEST_ENV });
  const load = sampler.stop();
  const ns = Number(process.hrtime.bigint() - started);
  const { counters, vcpuCpu } = statsDir ? readStats(join(statsDir, 'stats.json')) : { counters: null, vcpuCpu: null };
  if (statsDir) rmSync(statsDir, { recursive: true, force: true });
  let error = exitError(run.peer, exit, run.timeoutSeconds, false);
  if (error === null && reference === null) error = 'no reference output (neither qemu-arm nor the native build ran the program)';
  if (error === null && !exit.stdoutBytes.equals(reference!)) {
    error = `output differs from the reference (${exit.stdoutBytes.length} bytes against ${reference!.length})`;
  }
  return {
    ok: error === null,
    error,
    timedOut: exit.killed || (run.peer === 'mttcg' && exit.status === 124),
    ops: program.bytes,
    ns: error === null ? ns : 0,
    warmupOps: 0,
    haveLine: error === null,
    counters,
    guestInsns: counters?.guestInsns ?? null,
    evidence: null,
    load,
    vcpuCpu,
    wallMs: Math.round(ns / 1e5) / 10,
    args: recorded,
  };
}

export async function runPoint(run: PointRun): Promise<PointOutcome> {
  if (run.workload.corpus) return runCorpusPoint(run, run.workload.corpus);
  const argv = guestArgs(run.workload, run.vcpus, run.opsPerThread);
  let cmd: string;
  let cmdArgs: string[];
  let recorded: string[];
  let statsDir: string | null = null;
  let killAfterMs = run.timeoutSeconds * 1000;
  if (run.peer === 'mttcg') {
    statsDir = mkdtempSync(join(tmpdir(), 'mttcg-bench-'));
    const elf = guestElf(run.workload);
    const runOpts = ['--timeout', String(run.timeoutSeconds), ...run.strategyArgs];
    cmd = process.execPath;
    cmdArgs = [CLI, 'run', '--stats-json', join(statsDir, 'stats.json'), ...runOpts, elf, ...argv];
    recorded = ['mttcg', 'run', '--stats', ...runOpts, fromRoot(elf), ...argv];
    killAfterMs += KILL_GRACE_SECONDS * 1000;
  } else if (run.peer === 'qemu-arm') {
    const elf = guestElf(run.workload);
    cmd = 'qemu-arm';
    cmdArgs = [elf, ...argv];
    recorded = ['qemu-arm', fromRoot(elf), ...argv];
  } else {
    const bin = nativeBinary(run.workload);
    cmd = bin;
    cmdArgs = argv;
    recorded = [fromRoot(bin), ...argv];
  }
  const started = process.hrtime.bigint();
  const sampler = new LoadSampler();
  const exit = await spawnCollect(cmd, cmdArgs, killAfterMs);
  const load = sampler.stop();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { counters, vcpuCpu } = statsDir ? readStats(join(statsDir, 'stats.json')) : { counters: null, vcpuCpu: null };
  if (statsDir) rmSync(statsDir, { recursive: true, force: true });

  let line: BenchLine | null = null;
  try {
    line = parseBenchLine(exit.stdout);
  } catch {
    line = null;
  }
  let error = exitError(run.peer, exit, run.timeoutSeconds, line?.fields.check === 'fail');
  if (!line) error ??= `no BENCH line in the output${exit.stdout.trim() ? `: ${tail(exit.stdout)}` : ''}`;
  // A well-formed line is kept even beside an error (e.g. a failed self-check
  // still timed its section: the unsafe control's "fast but wrong").
  const lineProblem = line ? lineError(line, run) : null;
  const haveLine = line !== null && (lineProblem === null || lineProblem.startsWith('guest self-check'));
  error ??= lineProblem;
  const timedOut = exit.killed || (run.peer === 'mttcg' && exit.status === 124);
  return {
    ok: error === null,
    error,
    timedOut,
    ops: haveLine ? line!.ops : run.vcpus * run.opsPerThread,
    ns: haveLine ? line!.ns : 0,
    warmupOps: haveLine ? Number(line!.fields.warmup ?? 0) || 0 : 0,
    haveLine,
    counters,
    guestInsns: counters?.guestInsns ?? null,
    evidence: haveLine ? parseEvidence(line!.fields, run.vcpus) : null,
    load,
    vcpuCpu,
    wallMs: Math.round(wallMs * 10) / 10,
    args: recorded,
  };
}
