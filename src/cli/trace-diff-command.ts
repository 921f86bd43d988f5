// `mttcg trace-diff [--steps N] PROGRAM [ARGS...]`: runs the program single-
// stepped under qemu-arm and under mttcg, and reports the first step where the
// register traces diverge (the translator bug hunter's lockstep diff).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffTraces, formatState, parseTrace } from '../emulator/exec/trace-diff.js';
import { numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';

const SPECS: readonly OptionSpec[] = [
  { name: 'steps', kind: 'string', help: 'compare at most this many steps (default all)' },
  { name: 'ignore', kind: 'list', help: 'register numbers not to compare (e.g. values from AT_RANDOM)' },
];

export function traceDiffUsage(): string {
  return 'usage: mttcg trace-diff [--steps N] [--ignore R,...] PROGRAM [ARGS...]\n';
}

export function traceDiffCommand(argv: readonly string[]): number {
  const p = parseOptions(argv, SPECS, true);
  const [program, ...args] = p.positionals;
  if (!program) throw new UsageError('no PROGRAM given');
  const elf = resolve(program);
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-trace-'));
  const qlog = join(dir, 'qemu.log');
  const mlog = join(dir, 'mttcg.log');
  const env = { PATH: '/usr/bin:/bin', LANG: 'C' };
  // Through env -i: the guest sees exactly `env` even when a wrapper (e.g. a test runner) adds variables to our children.
  const q = spawnSync('env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'qemu-arm', '-singlestep', '-d', 'cpu,nochain', '-D', qlog, elf, ...args], { encoding: 'utf8' });
  if (q.error) throw new UsageError(`cannot run qemu-arm: ${q.error.message}`);
  const cli = fileURLToPath(new URL('./main.js', import.meta.url));
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  spawnSync(process.execPath, [cli, 'run', '--clean-env', ...envArgs, '--singlestep', '--trace', mlog, elf, ...args], { encoding: 'utf8' });
  const steps = numberOption(p, 'steps', Infinity, 1, Infinity);
  const left = parseTrace(readFileSync(qlog, 'utf8')).slice(0, steps);
  const right = parseTrace(readFileSync(mlog, 'utf8')).slice(0, steps);
  const ignore = new Set(((p.values.get('ignore') as string[] | undefined) ?? []).map(Number));
  const d = diffTraces(left, right, ignore);
  process.stdout.write(`qemu-arm: ${left.length} steps, mttcg: ${right.length} steps (logs in ${dir})\n`);
  if (!d) {
    process.stdout.write('traces are identical\n');
    return 0;
  }
  process.stdout.write(`first divergence at step ${d.step}: ${d.kind}${d.registers.length ? ` (R${d.registers.join(', R')})` : ''}\n`);
  if (d.step > 0) process.stdout.write(`  previous  ${formatState(left[d.step - 1]!)}\n`);
  if (d.left) process.stdout.write(`  qemu-arm  ${formatState(d.left)}\n`);
  if (d.right) process.stdout.write(`  mttcg     ${formatState(d.right)}\n`);
  return 1;
}
