// Where the host's CPU went during a benchmark guest's timed section: the
// CPU time of every host thread of the emulator process (mttcg: the main
// thread, V8's background compiler and GC threads, one worker per vCPU;
// qemu-arm: its vCPU threads and helpers) inside the guest's own timed
// section. The guest prints the section's start on CLOCK_MONOTONIC (BENCH
// start=, bench/guest/bench.h), which under both emulators is the host's
// clock; /proc/PID/task/*/schedstat is sampled every few milliseconds while
// the process runs. The N busiest threads in the section are taken as the N
// vCPUs; everything else is CPU the vCPUs had to share the host's cores with.
// Counters, not wall time: meaningful on a loaded host too. Under mttcg
// each run also prints the vCPUs' region counters from --stats (regions
// compiled and regrown, poll exits): a region formed once per vCPU at the
// hot threshold (in the warm-up's first few percent) and never again means
// that none was compiled in the timed section.
//
//   node dist/bench/speed/timed-window-cpu.js [--workload parallel-compute|atomic-add]
//        [--threads N] [--ops N] [--repeat N] [--peer mttcg|qemu-arm] [--strategy S] [--realtime]

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStrategySpec } from '../../src/torture/strategy-spec.js';
import { hostLine, median, spread, textOption } from '../lib/figures.js';
import { CLI, parseBenchLine, ROOT } from '../lib/peers.js';
import { checkRealtime, realtimeAboveEmulator, realtimeCommand, realtimeRequested, schedulingLine } from '../lib/realtime.js';

const SAMPLE_MS = 4;

/** One sample of a thread: when (ms, CLOCK_MONOTONIC), CPU and run-queue wait so far (ms). */
export type Sample = readonly [at: number, cpu: number, wait: number];

/** One host thread of the emulator process inside the timed section. */
export interface ThreadInSection {
  readonly tid: number;
  /** Its place among the process's threads by id, 0 the main thread: Node starts its own threads in a fixed order. */
  readonly rank: number;
  /** 'main' (the process's first thread), 'vcpu' (one of the `threads` busiest in the section) or 'other'. */
  readonly role: 'main' | 'vcpu' | 'other';
  readonly cpuMs: number;
  readonly waitMs: number;
}

export interface WindowCpu {
  readonly windowMs: number;
  /** CPU ms in the section of the `threads` busiest host threads (the vCPUs), busiest first. */
  readonly vcpuCpuMs: number[];
  /** Their run-queue wait in the section (ms): runnable but not running. */
  readonly vcpuWaitMs: number[];
  /** CPU ms in the section of every other host thread of the process. */
  readonly otherCpuMs: number;
  readonly overlap: number;
  /** Every thread the sampler saw, by id. */
  readonly perThread: ThreadInSection[];
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function sampleTasks(pid: number, into: Map<string, Sample[]>): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return; // the process has ended
  }
  const at = nowMs();
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
    } catch {
      continue; // the thread has ended
    }
    const [cpu, wait] = text.split(' ').map(Number) as [number, number];
    let list = into.get(tid);
    if (!list) into.set(tid, (list = []));
    list.push([at, cpu / 1e6, wait / 1e6]);
  }
}

/** A thread's counter k at time t, interpolated between samples (0 before its first). */
function valueAt(list: readonly Sample[], t: number, k: 1 | 2): number {
  let prev: Sample | null = null;
  for (const s of list) {
    if (s[0] >= t) {
      if (prev === null) return 0;
      return prev[k] + ((s[k] - prev[k]) * (t - prev[0])) / Math.max(1e-9, s[0] - prev[0]);
    }
    prev = s;
  }
  return prev === null ? 0 : prev[k];
}

/**
 * The section [from, to] (ms) of the process `pid` from its threads' samples: the `threads` busiest in it are
 * the vCPUs (the main thread never counts as one), every other thread is listed by id with its CPU and wait.
 */
export function windowOf(pid: number, tasks: ReadonlyMap<string, readonly Sample[]>, from: number, to: number, threads: number, overlap: number): WindowCpu {
  const ids = [...tasks.keys()].map(Number).sort((a, b) => a - b);
  const measured = [...tasks.entries()].map(([tid, l]) => ({
    tid: Number(tid),
    rank: ids.indexOf(Number(tid)),
    cpuMs: valueAt(l, to, 1) - valueAt(l, from, 1),
    waitMs: valueAt(l, to, 2) - valueAt(l, from, 2),
  }));
  const vcpus = new Set(measured.filter((t) => t.tid !== pid).sort((a, b) => b.cpuMs - a.cpuMs).slice(0, threads).map((t) => t.tid));
  const perThread: ThreadInSection[] = measured
    .map((t) => ({ ...t, role: t.tid === pid ? 'main' as const : vcpus.has(t.tid) ? 'vcpu' as const : 'other' as const }))
    .sort((a, b) => a.tid - b.tid);
  const vcpuList = perThread.filter((t) => t.role === 'vcpu').sort((a, b) => b.cpuMs - a.cpuMs);
  return {
    windowMs: to - from,
    vcpuCpuMs: vcpuList.map((t) => t.cpuMs),
    vcpuWaitMs: vcpuList.map((t) => t.waitMs),
    otherCpuMs: perThread.filter((t) => t.role !== 'vcpu').reduce((a, t) => a + t.cpuMs, 0),
    overlap,
    perThread,
  };
}

/** "rank:role cpu/wait" for each thread with CPU or wait in the section (0.05 ms or more). */
export function perThreadText(w: WindowCpu): string {
  return w.perThread
    .filter((t) => t.cpuMs >= 0.05 || t.waitMs >= 0.05)
    .map((t) => `#${t.rank}${t.role === 'other' ? '' : `(${t.role})`} ${t.cpuMs.toFixed(1)}/${t.waitMs.toFixed(1)}`)
    .join(', ');
}

/** Runs the command, sampling its threads; the CPU split of the guest's timed section. */
export function measureWindow(cmd: string, args: readonly string[], threads: number): Promise<WindowCpu> {
  return new Promise((resolve, reject) => {
    const [command, argv] = realtimeCommand(cmd, args);
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tasks = new Map<string, Sample[]>();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setInterval(() => sampleTasks(child.pid!, tasks), SAMPLE_MS);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearInterval(timer);
      if (status !== 0) return reject(new Error(`${cmd} failed (${status}): ${stderr}`));
      const line = parseBenchLine(stdout);
      const from = Number(line.fields.start) / 1e6;
      if (!Number.isFinite(from)) return reject(new Error('the BENCH line has no start= (an older guest)'));
      const to = from + line.ns / 1e6;
      resolve(windowOf(child.pid!, tasks, from, to, threads, Number(line.fields.concurrent ?? 0) / Math.max(1, Number(line.fields.chunks ?? 1))));
    });
  });
}

/** The region counters of the guest threads that compiled code (the vCPUs), from mttcg's --stats JSON. */
function regionCounters(file: string): string {
  const stats = JSON.parse(readFileSync(file, 'utf8')) as { threads: Record<string, number>[] };
  const busy = stats.threads.filter((t) => (t.regionEntries ?? 0) > 0);
  const list = (k: string): string => busy.map((t) => t[k] ?? 0).join('+');
  return `regions compiled ${list('regionsCompiled')}, regrown ${list('regionsRegrown')}, poll exits ${list('regionPollExits')}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string, def: string): string => textOption(argv, name, def);
  const realtime = realtimeRequested(argv);
  if (realtime) {
    checkRealtime();
    // The sampler (this thread's timer) must run while the emulator's threads hold both cores.
    realtimeAboveEmulator();
  }
  const workload = opt('workload', 'parallel-compute');
  const threads = Number(opt('threads', '2'));
  const ops = opt('ops', workload === 'atomic-add' ? '2000000' : '100000');
  const repeat = Number(opt('repeat', '3'));
  const peer = opt('peer', 'mttcg');
  const spec = parseStrategySpec(opt('strategy', 'cmpxchg'));
  if (workload !== 'parallel-compute' && workload !== 'atomic-add') throw new Error(`unknown workload '${workload}'`);
  const elf = join(ROOT, 'bench', 'guest', `${workload}.elf`);
  const guestArgs = [elf, String(threads), ops, ...(workload === 'atomic-add' ? ['1'] : [])];
  const [cmd, args] = peer === 'qemu-arm'
    ? ['qemu-arm', guestArgs]
    : [process.execPath, [CLI, 'run', ...spec.runArgs, ...guestArgs]];
  console.log(hostLine());
  console.log(schedulingLine());
  console.log(`command: node dist/bench/speed/timed-window-cpu.js --workload ${workload} --threads ${threads} --ops ${ops} --repeat ${repeat} --peer ${peer}${peer === 'mttcg' ? ` --strategy ${spec.text}` : ''}${realtime ? ' --realtime' : ''}`);
  const runs: WindowCpu[] = [];
  const statsDir = mkdtempSync(join(tmpdir(), 'mttcg-window-'));
  const statsFile = join(statsDir, 'stats.json');
  try {
    for (let i = 0; i < repeat; i++) {
      const w = await measureWindow(cmd, peer === 'qemu-arm' ? args : [...args.slice(0, 2), '--stats-json', statsFile, ...args.slice(2)], threads);
      runs.push(w);
      console.log(`run ${i + 1}: timed section ${w.windowMs.toFixed(1)} ms; vCPU threads' CPU ${w.vcpuCpuMs.map((c) => c.toFixed(1)).join(' + ')} ms ` +
        `(run-queue wait ${w.vcpuWaitMs.map((c) => c.toFixed(1)).join(' + ')} ms); other threads' CPU ${w.otherCpuMs.toFixed(1)} ms; ` +
        `overlap ${(100 * w.overlap).toFixed(0)}% of chunks${peer === 'qemu-arm' ? '' : `; ${regionCounters(statsFile)}`}`);
      console.log(`  per thread (#rank by id, CPU/run-queue wait ms): ${perThreadText(w)}`);
    }
  } finally {
    rmSync(statsDir, { recursive: true, force: true });
  }
  const share = runs.map((w) => w.otherCpuMs / Math.max(1e-9, w.otherCpuMs + w.vcpuCpuMs.reduce((a, b) => a + b, 0)));
  console.log(`other threads' share of the process's CPU in the timed section: ${spread(share.map((s) => 100 * s), '%', 1)}`);
  console.log(`vCPU CPU per thread: ${spread(runs.flatMap((w) => w.vcpuCpuMs), 'ms', 1)}; overlap median ${(100 * median(runs.map((w) => w.overlap))).toFixed(0)}%`);
  const mainCpu = runs.map((w) => w.perThread.filter((t) => t.role === 'main').reduce((a, t) => a + t.cpuMs, 0));
  console.log(`the main thread's CPU in the timed section: ${spread(mainCpu, 'ms', 2)}; the vCPUs' run-queue wait per thread: ${spread(runs.flatMap((w) => w.vcpuWaitMs), 'ms', 1)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
