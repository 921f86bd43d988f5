// Reading a torture program's outcome: its one RESULT line
// (torture-tests/atomics/README.md, "Interface") and the process's exit. Only
// a well-formed RESULT line for the right case from a process that exited 0
// can be a pass; everything else (no line, two lines, a crash, a timeout, a
// non-zero exit) is observed as 'fail' with the reason kept.

import { constants } from 'node:os';

export interface ResultLine {
  readonly line: string;
  readonly caseName: string;
  readonly status: string;
  /** case, status, threads, iters and every observed=k=v pair. */
  readonly kv: Readonly<Record<string, string>>;
}

/** Every `RESULT ...` line in the output, parsed (malformed pairs are skipped). */
export function findResultLines(stdout: string): ResultLine[] {
  const out: ResultLine[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('RESULT ')) continue;
    const kv: Record<string, string> = {};
    for (const field of line.slice(7).split(' ')) {
      const eq = field.indexOf('=');
      if (eq <= 0) continue;
      const key = field.slice(0, eq);
      const value = field.slice(eq + 1);
      if (key === 'observed') {
        for (const pair of value.split(',')) {
          const e = pair.indexOf('=');
          if (e > 0 && !(pair.slice(0, e) in kv)) kv[pair.slice(0, e)] = pair.slice(e + 1);
        }
      } else kv[key] = value;
    }
    out.push({ line, caseName: kv.case ?? '', status: kv.status ?? '', kv });
  }
  return out;
}

export interface ProcessOutcome {
  readonly stdout: string;
  /** Exit status (128+N for a death by signal N), or null if the runner killed it. */
  readonly exitCode: number | null;
  /** The runner's own deadline expired (seconds), or null. */
  readonly killedAfter: number | null;
}

export interface Observation {
  readonly observed: 'pass' | 'fail';
  readonly result: ResultLine | null;
  /** Why it is 'fail' beyond the RESULT line's own status=fail; null otherwise. */
  readonly reason: string | null;
}

// first name per number: SIGABRT, not its alias SIGIOT
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(constants.signals)) if (!SIGNAL_NAMES.has(n)) SIGNAL_NAMES.set(n, name);

/** A readable account of an exit status (mttcg's 124/125/70, 128+signal). */
export function describeExit(code: number): string {
  if (code === 124) return 'exit 124 (timeout)';
  if (code === 125) return 'exit 125 (guest deadlock)';
  if (code === 70) return 'exit 70 (emulator internal error)';
  if (code > 128 && SIGNAL_NAMES.has(code - 128)) return `exit ${code} (${SIGNAL_NAMES.get(code - 128)})`;
  return `exit ${code}`;
}

export function observe(outcome: ProcessOutcome, expectedCase: string): Observation {
  const lines = findResultLines(outcome.stdout);
  const result = lines.length === 1 ? lines[0]! : (lines.at(-1) ?? null);
  const fail = (reason: string): Observation => ({ observed: 'fail', result, reason });
  if (outcome.killedAfter !== null) return fail(`killed after ${outcome.killedAfter} s (no exit)`);
  if (outcome.exitCode === null) return fail('no exit status');
  if (lines.length === 0) return fail(`no RESULT line; ${describeExit(outcome.exitCode)}`);
  if (lines.length > 1) return fail(`${lines.length} RESULT lines; ${describeExit(outcome.exitCode)}`);
  if (outcome.exitCode !== 0) return fail(`${describeExit(outcome.exitCode)} after its RESULT line`);
  if (result!.caseName !== expectedCase) return fail(`RESULT line names case '${result!.caseName}', expected '${expectedCase}'`);
  if (result!.status === 'pass') return { observed: 'pass', result, reason: null };
  if (result!.status === 'fail') return { observed: 'fail', result, reason: null };
  return fail(`RESULT line has status '${result!.status}'`);
}
