// `mttcg trace-diff [--steps N] PROGRAM [ARGS...]`: runs the program single-
// stepped under qemu-arm and under mttcg, and reports the first step where the
// register traces diverge (the translator bug hunter's lockstep diff).
//
// Both runs are bounded (issue 13 item 11): each is stopped once its log holds
// --steps steps, after --timeout seconds, or when its log passes --max-log-mb;
// both are children that die with this command (host/tied-children.ts), and
// the temporary logs are removed at the end (or on SIGINT/SIGTERM) unless
// --keep-logs is given.

import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffTraces, formatState, parseTrace } from '../emulator/exec/trace-diff.js';
import { onInterrupt, spawnTied } from '../host/tied-children.js';
import { integerOption, numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';

const SPECS: readonly OptionSpec[] = [
  { name: 'steps', kind: 'string', help: 'compare at most this many steps; both runs stop there (default all)' },
  { name: 'ignore', kind: 'list', help: 'register numbers not to compare (e.g. values from AT_RANDOM)' },
  { name: 'timeout', kind: 'string', help: 'stop each run after this many seconds (default 60)' },
  { name: 'max-log-mb', kind: 'string', help: 'stop a run whose trace log passes this many MiB (default 512)' },
  { name: 'keep-logs', kind: 'boolean', help: 'keep the two trace logs (their directory is printed)' },
];

export function traceDiffUsage(): string {
  return 'usage: mttcg trace-diff [--steps N] [--ignore R,...] [--timeout S] [--max-log-mb M] [--keep-logs] PROGRAM [ARGS...]\n';
}

type Stop = 'exit' | 'steps' | 'timeout' | 'log size';

interface TracedRun {
  readonly stop: Stop;
  readonly spawnError: string | null;
}

/** Each step of a `-d cpu` dump ends with its PSR line. */
const STEP_MARK = 'PSR=';

/**
 * Runs one traced process to its end, or stops it (SIGKILL) when its log
 * holds `steps` steps, after `timeoutMs`, or past `maxBytes` of log.
 */
function traceRun(file: string, args: readonly string[], log: string, steps: number, timeoutMs: number, maxBytes: number): Promise<TracedRun> {
  return new Promise((done) => {
    const child = spawnTied(file, args);
    child.stdout.resume();
    child.stderr.resume();
    let stop: Stop = 'exit';
    let spawnError: string | null = null;
    let seen = 0;
    let offset = 0;
    let tail = '';
    const halt = (why: Stop): void => {
      if (stop !== 'exit') return;
      stop = why;
      child.kill('SIGKILL');
    };
    const chunk = Buffer.alloc(1 << 20);
    const poll = setInterval(() => {
      let size: number;
      try {
        size = statSync(log).size;
      } catch {
        return; // not created yet
      }
      if (size > maxBytes) halt('log size');
      if (!Number.isFinite(steps)) return;
      const fd = openSync(log, 'r');
      try {
        for (let n; offset < size && (n = readSync(fd, chunk, 0, chunk.length, offset)) > 0; offset += n) {
          const text = tail + chunk.toString('latin1', 0, n);
          for (let i = text.indexOf(STEP_MARK); i >= 0; i = text.indexOf(STEP_MARK, i + 1)) seen++;
          tail = text.slice(-(STEP_MARK.length - 1));
        }
      } finally {
        closeSync(fd);
      }
      if (seen > steps) halt('steps');
    }, 100);
    const timer = setTimeout(() => halt('timeout'), timeoutMs);
    child.once('error', (e) => {
      spawnError = e.message;
    });
    child.once('close', () => {
      clearInterval(poll);
      clearTimeout(timer);
      done({ stop, spawnError });
    });
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

const STOP_NOTE: Record<Stop, string> = {
  exit: '',
  steps: ' (stopped at --steps)',
  timeout: ' (stopped by --timeout)',
  'log size': ' (stopped: the log passed --max-log-mb)',
};

export async function traceDiffCommand(argv: readonly string[]): Promise<number> {
  const p = parseOptions(argv, SPECS, true);
  const [program, ...args] = p.positionals;
  if (!program) throw new UsageError('no PROGRAM given');
  const steps = p.values.has('steps') ? integerOption(p, 'steps', 0, 1, Number.MAX_SAFE_INTEGER) : Infinity;
  const timeoutMs = numberOption(p, 'timeout', 60, 0.1, 86400) * 1000;
  const maxBytes = numberOption(p, 'max-log-mb', 512, 1, 65536) * 1024 * 1024;
  const keep = Boolean(p.values.get('keep-logs'));
  const ignore = new Set(((p.values.get('ignore') as string[] | undefined) ?? []).map(Number));
  const elf = resolve(program);
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-trace-'));
  const removeLogs = (): void => rmSync(dir, { recursive: true, force: true });
  const forget = keep ? () => true : onInterrupt(removeLogs);
  try {
    const qlog = join(dir, 'qemu.log');
    const mlog = join(dir, 'mttcg.log');
    const env = { PATH: '/usr/bin:/bin', LANG: 'C' };
    const cli = fileURLToPath(new URL('./main.js', import.meta.url));
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const [q, m] = await Promise.all([
      // Through env -i: the guest sees exactly `env` even when a wrapper (e.g. a test runner) adds variables to our children.
      traceRun('env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'qemu-arm', '-singlestep', '-d', 'cpu,nochain', '-D', qlog, elf, ...args],
        qlog, steps, timeoutMs, maxBytes),
      traceRun(process.execPath, [cli, 'run', '--clean-env', ...envArgs, '--singlestep', '--trace', mlog, elf, ...args],
        mlog, steps, timeoutMs, maxBytes),
    ]);
    if (q.spawnError) throw new UsageError(`cannot run qemu-arm: ${q.spawnError}`);
    let left = parseTrace(readLog(qlog));
    let right = parseTrace(readLog(mlog));
    // A run that was stopped early is compared only as far as both got.
    const cut = q.stop !== 'exit' || m.stop !== 'exit' ? Math.min(left.length, right.length) : Infinity;
    const upTo = Math.min(steps, cut);
    left = left.slice(0, upTo);
    right = right.slice(0, upTo);
    const where = keep ? ` (logs in ${dir})` : '';
    process.stdout.write(`qemu-arm: ${left.length} steps${STOP_NOTE[q.stop]}, mttcg: ${right.length} steps${STOP_NOTE[m.stop]}${where}\n`);
    const d = diffTraces(left, right, ignore);
    if (!d) {
      process.stdout.write(`traces are identical${Number.isFinite(upTo) ? ` for the first ${left.length} steps` : ''}\n`);
      return 0;
    }
    process.stdout.write(`first divergence at step ${d.step}: ${d.kind}${d.registers.length ? ` (R${d.registers.join(', R')})` : ''}\n`);
    if (d.step > 0) process.stdout.write(`  previous  ${formatState(left[d.step - 1]!)}\n`);
    if (d.left) process.stdout.write(`  qemu-arm  ${formatState(d.left)}\n`);
    if (d.right) process.stdout.write(`  mttcg     ${formatState(d.right)}\n`);
    return 1;
  } finally {
    forget();
    if (!keep) removeLogs();
  }
}
