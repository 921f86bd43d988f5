// Shared by the benchmark scripts: run a command several times, pull
// numbers out of its output, and print a figure with its spread, the host's
// load and the command that reproduces it.

import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { median } from './peers.js';

export { median };

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** "median (min..max, n=N)" of a list, with a unit. */
export function spread(xs: readonly number[], unit: string, digits = 2): string {
  if (xs.length === 0) return 'no data';
  const f = (v: number): string => v.toFixed(digits);
  return `${f(median(xs))} ${unit} (min ${f(Math.min(...xs))}, max ${f(Math.max(...xs))}, n=${xs.length})`;
}

export function hostLine(): string {
  return `host: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

export interface Timed {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly seconds: number;
  /** Killed (SIGKILL) after options.timeoutMs. */
  readonly timedOut: boolean;
}

/** Runs a command to completion and times it (wall); with timeoutMs, kills it (SIGKILL) after that long. */
export function timed(cmd: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Timed {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    encoding: 'utf8', maxBuffer: 64 << 20, input: options.input, env: options.env ?? process.env,
    timeout: options.timeoutMs, killSignal: 'SIGKILL',
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, seconds, timedOut };
}

/** Every value of `key=` in lines starting with `prefix`. */
export function fieldValues(stdout: string, prefix: string, key: string): number[] {
  const out: number[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = new RegExp(`\\b${key}=(-?[0-9.]+)`).exec(line);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

export function option(argv: readonly string[], name: string, def: number): number {
  return Number(textOption(argv, name, String(def)));
}

/** The word after `--name` in argv, or def. */
export function textOption(argv: readonly string[], name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
}

/** A bench's verdict line (all.ts collects them): it names a target and says met, missed or (paired rounds, median-interval.ts) undecided. */
export function isTargetLine(line: string): boolean {
  return /target/.test(line) && /\b(met|missed|undecided)\b/.test(line);
}
