// Runs a litmus test's guest program under one column (an mttcg strategy,
// optionally under --sched, or qemu-arm) and counts its outcomes: the
// histogram, the condition's positive/negative counts, and whether the
// column kept the ARM verdict the test names.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTied } from '../host/tied-children.js';
import type { Guarantees } from '../emulator/atomics/guarantees.js';
import { TORTURE_CASE_NAMES } from '../emulator/atomics/guarantees.js';
import { buildLitmusProgram, decodeRuns, type RunValues } from './litmus-program.js';
import { conditionObservables, holds, observableText, sameObservable, type LitmusTest, type Observable } from './litmus-test.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const STDERR_TAIL = 1500;

export interface LitmusColumn {
  /** e.g. 'cmpxchg', 'tlbexcl/sched seed:3', 'qemu-arm'. */
  readonly label: string;
  /** `mttcg run` strategy arguments; null: qemu-arm. */
  readonly runArgs: readonly string[] | null;
  /** The --sched value, or null for a free run. */
  readonly sched: string | null;
  /** The column's declared torture guarantees (for Claim=CASE); null: claims everything. */
  readonly guarantees: Guarantees | null;
}

export type Observation = 'Never' | 'Sometimes' | 'Always';

/**
 * ok: nothing the ARM verdict forbids was seen; forbidden-seen: a run showed
 * the forbidden outcome (the column is wrong); excused: it did, but the
 * column's strategy does not claim the test's Claim case (a known weakness);
 * error: the program did not run to its end.
 */
export type LitmusVerdict = 'ok' | 'forbidden-seen' | 'excused' | 'error';

export interface OutcomeCount {
  /** 'T:rN=V; ...; loc=V;' as litmus7 prints a state. */
  readonly state: string;
  readonly count: number;
  /** The condition's proposition holds in this state. */
  readonly satisfies: boolean;
}

export interface LitmusResult {
  readonly test: string;
  readonly column: string;
  readonly runs: number;
  readonly outcomes: readonly OutcomeCount[];
  /** Runs in which the proposition holds / does not. */
  readonly positive: number;
  readonly negative: number;
  readonly observation: Observation;
  /** The herd condition (quantifier and proposition) holds over these runs. */
  readonly validated: boolean;
  /** Runs showing the outcome the ARM verdict is about (exists/~exists: P holds; forall: P fails). */
  readonly witnesses: number;
  readonly expected: LitmusTest['expected'];
  readonly verdict: LitmusVerdict;
  /** What went wrong (verdict error), or why a forbidden outcome is excused. */
  readonly note: string | null;
  readonly ms: number;
}

/** The values the histogram shows: the condition's and `locations [...]`'s, registers first. */
export function shownObservables(test: LitmusTest): Observable[] {
  const all: Observable[] = [];
  for (const o of [...conditionObservables(test.condition.prop), ...test.extraObserved]) if (!all.some((a) => sameObservable(a, o))) all.push(o);
  const regs = all.filter((o) => o.kind === 'reg').sort((a, b) => (a.kind === 'reg' && b.kind === 'reg' ? a.thread - b.thread || a.reg - b.reg : 0));
  return [...regs, ...all.filter((o) => o.kind === 'loc')];
}

/** Counts the runs' states and judges them against the test's condition and verdict. */
export function tallyRuns(test: LitmusTest, runs: readonly RunValues[], registers: readonly Observable[], column: LitmusColumn, ms: number): LitmusResult {
  const shown = shownObservables(test);
  const counts = new Map<string, { count: number; satisfies: boolean }>();
  let positive = 0;
  for (const run of runs) {
    const valueOf = (o: Observable): number => (o.kind === 'loc'
      ? run.locations.get(o.location)!
      : run.registers[registers.findIndex((r) => sameObservable(r, o))]!) >>> 0;
    const state = shown.map((o) => `${observableText(o)}=${valueOf(o)};`).join(' ');
    const satisfies = holds(test.condition.prop, valueOf);
    if (satisfies) positive++;
    const c = counts.get(state);
    if (c) c.count++;
    else counts.set(state, { count: 1, satisfies });
  }
  const n = runs.length;
  const negative = n - positive;
  const outcomes = [...counts.entries()].map(([state, c]) => ({ state, ...c })).sort((a, b) => (a.state < b.state ? -1 : 1));
  const q = test.condition.quantifier;
  const validated = q === 'exists' ? positive > 0 : q === '~exists' ? positive === 0 : negative === 0;
  const witnesses = q === 'forall' ? negative : positive;
  let verdict: LitmusVerdict = 'ok';
  let note: string | null = null;
  if (test.expected === 'forbidden' && witnesses > 0) {
    const claimed = test.claim === null || column.guarantees === null || column.guarantees[test.claim as keyof Guarantees] === 'pass';
    verdict = claimed ? 'forbidden-seen' : 'excused';
    if (!claimed) note = `the strategy does not claim ${test.claim} (predicted ${column.guarantees![test.claim as keyof Guarantees]})`;
  }
  return {
    test: test.name, column: column.label, runs: n, outcomes, positive, negative,
    observation: positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes',
    validated, witnesses, expected: test.expected, verdict, note, ms,
  };
}

/** A Claim= line must name a torture case; checked before anything runs. */
export function checkClaim(test: LitmusTest): string | null {
  if (test.claim === null || (TORTURE_CASE_NAMES as readonly string[]).includes(test.claim)) return null;
  return `${test.name}: Claim=${test.claim} is not a torture case (${TORTURE_CASE_NAMES.join(', ')})`;
}

interface ProcessOutput {
  readonly stdout: Buffer;
  readonly stderrTail: string;
  readonly status: number | null;
  readonly killed: boolean;
  readonly spawnError: string | null;
}

function runProcess(file: string, args: readonly string[], killAfterSeconds: number): Promise<ProcessOutput> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let stderr = '';
    let killed = false;
    let spawnError: string | null = null;
    // Tied: interrupting the litmus run kills the guest's emulator too.
    const child = spawnTied(file, args);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_TAIL)));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterSeconds * 1000);
    child.on('error', (e) => (spawnError = e.message));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks), stderrTail: stderr, status, killed, spawnError });
    });
  });
}

export interface LitmusRunOptions {
  readonly runs: number;
  /** Seconds before a run is stopped and counted as an error. */
  readonly timeoutSeconds: number;
}

/** Builds the test's program, runs it once under the column, and tallies its runs. */
export async function runLitmus(test: LitmusTest, column: LitmusColumn, options: LitmusRunOptions): Promise<LitmusResult> {
  const program = buildLitmusProgram(test, options.runs);
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-litmus-'));
  const elf = join(dir, `${test.name.replace(/[^A-Za-z0-9_.+-]/g, '_')}.elf`);
  const started = process.hrtime.bigint();
  try {
    writeFileSync(elf, program.elf, { mode: 0o755 });
    const out = column.runArgs === null
      ? await runProcess('qemu-arm', [elf], options.timeoutSeconds)
      : await runProcess(process.execPath, [
        CLI, 'run', ...column.runArgs, ...(column.sched === null ? [] : ['--sched', column.sched]),
        '--timeout', String(options.timeoutSeconds), '--clean-env', elf,
      ], options.timeoutSeconds + 30);
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    const failed = (note: string): LitmusResult => ({
      test: test.name, column: column.label, runs: 0, outcomes: [], positive: 0, negative: 0, observation: 'Never',
      validated: false, witnesses: 0, expected: test.expected, verdict: 'error', note, ms,
    });
    if (out.spawnError !== null) return failed(`could not start: ${out.spawnError}`);
    if (out.killed) return failed(`killed after ${options.timeoutSeconds} s`);
    if (out.status !== 0) return failed(`exit status ${out.status}: ${out.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
    const runs = decodeRuns(test, program, new Uint8Array(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength));
    if (runs === null) return failed(`output of ${out.stdout.length} bytes, expected ${program.outputBytes}`);
    return tallyRuns(test, runs, program.observedRegisters, column, ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
