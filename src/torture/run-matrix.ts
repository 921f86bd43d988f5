// runTortureMatrix: every (case, column) cell, one process at a time, each
// classified against the column's predictions; cells predicted may-fail run
// `repeats` times ("k of N runs failed"). With an output file every run is
// appended as one JSON line the moment it finishes (run-record.ts) and
// `resume` skips the runs the file already holds for this kind of host,
// profile and scale. A shard of a sweep runs only its part of the plan
// (src/sweep/). Used by `mttcg torture` and by the report generator.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TORTURE_CASE_NAMES, type Guarantees, type TortureCaseName } from '../emulator/atomics/guarantees.js';
import { hostKindOf, hostInfo, type HostInfo } from '../host/host-info.js';
import { ensureLineStart } from '../host/jsonl-file.js';
import { LoadSampler, type LoadEvidence } from '../host/load-sampler.js';
import { claimSweepFile } from '../sweep/sweep-file.js';
import { tagOf, type SweepRun } from '../sweep/sweep-plan.js';
import { tortureUnitId } from '../sweep/unit-ids.js';
import { UsageError } from '../cli/option-parser.js';
import { caseArgs, elfPath, isTortureCaseName, tortureCase, type TortureCase } from './cases.js';
import { runCellProcess, type CellCommand } from './cell-process.js';
import { classifyCell, predictionAt } from './classify.js';
import type { TortureCellResult, TortureColumn, TortureMatrix, TortureProfile } from './matrix-types.js';
import { QEMU_PEER, qemuInstalled, qemuPeerGuarantees } from './qemu-peer.js';
import { observe } from './result-line.js';
import { assembleMatrix } from './assemble-matrix.js';
import { appendTortureRun, keyOfRecord, readTortureRuns, runKey, type TortureRunRecord } from './run-record.js';
import { defaultSpecTexts, parseStrategySpec } from './strategy-spec.js';
import type { SchedEvents } from '../emulator/sched/sched-spec.js';

export interface TortureRequest {
  /** Strategy specs (NAME or NAME:KEY=VALUE...); default: DEFAULT_TORTURE_SPECS + TORTURE_VARIANT_SPECS. */
  readonly specs?: readonly string[];
  /** vCPU counts, one column per spec and count; default [2]. */
  readonly threads?: readonly number[];
  /** README quick or default arguments; default 'quick'. */
  readonly profile?: TortureProfile;
  /** Default: every case. */
  readonly cases?: readonly TortureCaseName[];
  /** Iteration factor (see scaledIters); default 1. */
  readonly scale?: number;
  /** Add a qemu-arm peer column per vCPU count when qemu-arm is installed; default true. */
  readonly qemu?: boolean;
  /** Per cell: mttcg's --timeout, and the deadline for qemu-arm; default 120. */
  readonly timeoutSeconds?: number;
  /** Runs of each cell predicted may-fail at its vCPU count (a race that may or may not happen); default 1. */
  readonly repeats?: number;
  /** Run the Thumb-2 builds of the programs (columns labelled /thumb); default false. */
  readonly thumb?: boolean;
  /**
   * Torture by seeds: every cell runs once per seed first..last under the
   * deterministic scheduler (mttcg run --sched seed:S; docs/scheduler.md),
   * columns labelled /sched, no qemu-arm peer (it cannot be seeded); null: free runs.
   */
  readonly seeds?: SeedRange | null;
  /** Spurious STREX failures in every mttcg run (--strex-fail P; columns labelled /strex-fail=P); default 0. */
  readonly strexFail?: number;
  /** Seeded columns beside the free ones; default none. */
  readonly seededColumns?: SeededColumns | null;
  /** PCT's k for seeded runs (--sched steps=K); default SEEDED_STEPS. */
  readonly schedSteps?: number;
  /** Scheduling points of seeded runs (--sched events=); default 'memory'. */
  readonly schedEvents?: SchedEvents;
}

/** Seeded columns beside the free ones (the report: "k of N seeds failed" next to the free runs). */
export interface SeededColumns {
  readonly specs: readonly string[];
  /** Cases the seeded columns run (each must be among the request's cases). */
  readonly cases: readonly TortureCaseName[];
  readonly seeds: SeedRange;
  /** Iteration factor of the seeded runs, which are single-stepped (small). */
  readonly scale: number;
}

export interface SeedRange {
  readonly first: number;
  readonly last: number;
}

/** PCT's k for torture by seeds: about the step count of treiber at scale 0.05 (1024 iterations, 2 threads) with events=memory. */
export const SEEDED_STEPS = 200_000;
/** Seeds at most in one torture run. */
export const MAX_SEEDS = 10_000;

export interface TortureProgress {
  /** 1-based position of this run in the plan. */
  readonly index: number;
  readonly total: number;
  /** This run alone. */
  readonly result: TortureCellResult;
  readonly repeat: number;
  /** Runs of this cell in the plan. */
  readonly repeats: number;
  /** True when the run was taken from the output file (resume), not run now. */
  readonly resumed: boolean;
}

export interface TortureRunOptions {
  /** JSON Lines file each run is appended to as it finishes; null: keep the runs in memory only. */
  readonly out?: string | null;
  /** Skip the runs `out` already holds (same kind of host, profile, scale, case, column, repeat). */
  readonly resume?: boolean;
  /** A shard of a sweep: run only its units, head `out` with the plan, tag every run (src/sweep/). */
  readonly sweep?: SweepRun;
  readonly onProgress?: (p: TortureProgress) => void;
  /** Messages worth showing once (unreadable lines, records from another host). */
  readonly onNote?: (message: string) => void;
  /** The host recorded with each run (default: this one). */
  readonly host?: HostInfo;
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
/** The guest environment, the same under both emulators (the programs ignore it). */
const GUEST_ENV: Readonly<Record<string, string>> = { PATH: '/usr/bin:/bin', LANG: 'C' };
/** Extra seconds the runner gives mttcg beyond its own --timeout before killing it. */
const KILL_GRACE_SECONDS = 30;

export interface PlannedColumn {
  readonly column: TortureColumn;
  readonly guarantees: Guarantees;
  readonly runArgs: readonly string[] | null; // null: the qemu-arm peer
  /** A seeded column: its seeds, cases (null: all) and iteration factor; null for free runs. */
  readonly seeded: { readonly seeds: SeedRange; readonly cases: readonly TortureCaseName[] | null; readonly scale: number } | null;
}

function checkRequest(r: TortureRequest): Required<TortureRequest> {
  const threads = r.threads ?? [2];
  if (threads.length === 0) throw new UsageError('no thread counts given');
  for (const t of threads) {
    if (!Number.isInteger(t) || t < 1 || t > 64) throw new UsageError(`thread count must be an integer from 1 to 64 (got ${t})`);
  }
  const scale = r.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) throw new UsageError(`scale must be a number above 0 and at most 10 (got ${scale})`);
  const timeoutSeconds = r.timeoutSeconds ?? 120;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`timeout must be a positive number of seconds (got ${timeoutSeconds})`);
  const cases = r.cases ?? TORTURE_CASE_NAMES;
  if (cases.length === 0) throw new UsageError('no torture cases selected');
  for (const c of cases) if (!isTortureCaseName(c)) throw new UsageError(`unknown torture case '${c}'`);
  const specs = r.specs ?? defaultSpecTexts();
  if (specs.length === 0) throw new UsageError('no strategies selected');
  const repeats = r.repeats ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000) throw new UsageError(`repeats must be an integer from 1 to 1000 (got ${repeats})`);
  const seeds = r.seeds ?? null;
  if (seeds !== null && !(Number.isInteger(seeds.first) && Number.isInteger(seeds.last) && seeds.first >= 0 && seeds.last >= seeds.first &&
      seeds.last <= 2 ** 32 - 1 && seeds.last - seeds.first < MAX_SEEDS)) {
    throw new UsageError(`seeds must be A..B with 0 <= A <= B < 2^32 and at most ${MAX_SEEDS} seeds (got ${seeds.first}..${seeds.last})`);
  }
  const strexFail = r.strexFail ?? 0;
  if (!(strexFail >= 0 && strexFail <= 1)) throw new UsageError(`strex-fail must be a probability from 0 to 1 (got ${strexFail})`);
  const schedSteps = r.schedSteps ?? SEEDED_STEPS;
  if (!Number.isInteger(schedSteps) || schedSteps < 1 || schedSteps > 2 ** 31 - 1) throw new UsageError(`sched steps must be a positive integer (got ${schedSteps})`);
  return {
    specs, threads: [...new Set(threads)], profile: r.profile ?? 'quick', cases: [...new Set(cases)], scale, qemu: (r.qemu ?? true) && seeds === null,
    timeoutSeconds, repeats, thumb: r.thumb ?? false, seeds, schedSteps, schedEvents: r.schedEvents ?? 'memory', strexFail,
    seededColumns: checkSeededColumns(r.seededColumns ?? null, cases),
  };
}

function checkSeededColumns(s: SeededColumns | null, cases: readonly TortureCaseName[]): SeededColumns | null {
  if (s === null) return null;
  for (const c of s.cases) if (!cases.includes(c)) throw new UsageError(`seeded case '${c}' is not among the matrix's cases`);
  if (!(s.scale > 0 && s.scale <= 10)) throw new UsageError(`seeded scale must be above 0 and at most 10 (got ${s.scale})`);
  if (!(Number.isInteger(s.seeds.first) && s.seeds.first >= 0 && s.seeds.last >= s.seeds.first && s.seeds.last - s.seeds.first < MAX_SEEDS)) {
    throw new UsageError(`seeded seeds must be A..B with 0 <= A <= B (got ${s.seeds.first}..${s.seeds.last})`);
  }
  return s;
}

function planColumns(req: Required<TortureRequest>): PlannedColumn[] {
  const specs = req.specs.map(parseStrategySpec);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.text)) throw new UsageError(`strategy spec '${s.text}' given twice`);
    seen.add(s.text);
  }
  const withQemu = req.qemu && qemuInstalled();
  // Thumb builds make other experiments: their columns (and run records) carry the set's name.
  const isa = (req.thumb ? '/thumb' : '') + (req.seeds ? '/sched' : '') + (req.strexFail > 0 ? `/strex-fail=${req.strexFail}` : '');
  const out: PlannedColumn[] = [];
  for (const threads of req.threads) {
    for (const s of specs) {
      out.push({
        column: { label: `${s.text}@${threads}${isa}`, strategy: s.strategy.name, options: s.options, threads, peer: false, ...(req.seeds ? { seeded: true } : {}) },
        guarantees: s.guarantees,
        runArgs: req.strexFail > 0 ? [...s.runArgs, '--strex-fail', String(req.strexFail)] : s.runArgs,
        seeded: req.seeds ? { seeds: req.seeds, cases: null, scale: req.scale } : null,
      });
    }
    if (withQemu) {
      out.push({
        column: { label: `${QEMU_PEER}@${threads}${isa}`, strategy: QEMU_PEER, options: {}, threads, peer: true },
        guarantees: qemuPeerGuarantees(),
        runArgs: null,
        seeded: null,
      });
    }
  }
  const sc = req.seededColumns;
  if (sc !== null) {
    for (const s of sc.specs.map(parseStrategySpec)) {
      out.push({
        column: { label: `${s.text}@2${isa}/sched`, strategy: s.strategy.name, options: s.options, threads: 2, peer: false, seeded: true },
        guarantees: s.guarantees,
        runArgs: s.runArgs,
        seeded: { seeds: sc.seeds, cases: sc.cases, scale: sc.scale },
      });
    }
  }
  return out;
}

/** The --sched value of a seeded run (null: a free run). */
export function schedArgOf(req: Required<TortureRequest>, seed: number | null): string | null {
  return seed === null ? null : `seed:${seed},steps=${req.schedSteps},events=${req.schedEvents}`;
}

function commandFor(p: PlannedColumn, elf: string, args: readonly string[], timeoutSeconds: number, sched: string | null): CellCommand {
  if (p.runArgs === null) {
    return { file: 'qemu-arm', args: [elf, ...args], env: GUEST_ENV, killAfterSeconds: timeoutSeconds };
  }
  const envArgs = Object.entries(GUEST_ENV).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return {
    file: process.execPath,
    args: [CLI, 'run', ...p.runArgs, ...(sched === null ? [] : ['--sched', sched]), '--timeout', String(timeoutSeconds), '--clean-env', ...envArgs, elf, ...args],
    // the emulator itself runs in the host environment (NODE_OPTIONS and the like)
    env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    killAfterSeconds: timeoutSeconds + KILL_GRACE_SECONDS,
  };
}

async function runCell(c: TortureCase, p: PlannedColumn, req: Required<TortureRequest>, seed: number | null): Promise<{ result: TortureCellResult; load: LoadEvidence | null }> {
  const declared = p.guarantees[c.name];
  const predicted = predictionAt(c, declared, p.column.threads);
  const args = caseArgs(c, req.profile, p.column.threads, p.seeded?.scale ?? req.scale);
  const elf = elfPath(c, req.thumb);
  const base = { case: c.name, column: p.column.label, predicted, declared, ...(seed === null ? {} : { seed }) };
  if (args === null || elf === null) {
    const result: TortureCellResult = {
      ...base, observed: 'n/a', cell: 'n/a', resultLine: null, observedKv: {}, exitCode: null, stderrTail: '',
      reason: elf === null ? 'no Thumb build (SWP does not exist in Thumb)' : `needs 2 vCPUs (${c.kind} case)`, args: [], ms: 0,
    };
    return { result, load: null };
  }
  const sampler = new LoadSampler();
  const run = await runCellProcess(commandFor(p, elf, args, req.timeoutSeconds, schedArgOf(req, seed)));
  const load = sampler.stop();
  const obs = run.spawnError !== null
    ? { observed: 'fail' as const, result: null, reason: `could not start: ${run.spawnError}` }
    : observe(run, c.resultCase);
  const result: TortureCellResult = {
    ...base,
    observed: obs.observed,
    cell: classifyCell(predicted, obs.observed),
    resultLine: obs.result?.line ?? null,
    observedKv: obs.result?.kv ?? {},
    exitCode: run.exitCode,
    stderrTail: run.stderrTail,
    reason: obs.reason,
    args,
    ms: run.ms,
  };
  return { result, load };
}

/** One process to run: a cell and its repeat number. */
export interface PlannedRun {
  readonly case: TortureCase;
  readonly column: PlannedColumn;
  readonly repeat: number;
  readonly repeats: number;
  /** The --sched seed of a seeded run (then also its repeat number), else null. */
  readonly seed: number | null;
}

export interface TorturePlan {
  readonly request: Required<TortureRequest>;
  readonly columns: readonly PlannedColumn[];
  /** In run order: cases outer, columns inner, repeats innermost. */
  readonly runs: readonly PlannedRun[];
}

/** Validates the request and lists every run (usage errors before anything runs). */
export function planTorture(request: TortureRequest): TorturePlan {
  const req = checkRequest(request);
  const columns = planColumns(req);
  const runs: PlannedRun[] = [];
  for (const name of req.cases) {
    const c = tortureCase(name);
    for (const p of columns) {
      const predicted = predictionAt(c, p.guarantees[c.name], p.column.threads);
      if (p.seeded !== null) {
        // Every cell, whatever its prediction, runs every seed; the seed is the repeat number.
        if (p.seeded.cases !== null && !p.seeded.cases.includes(name)) continue;
        const { first, last } = p.seeded.seeds;
        for (let s = first; s <= last; s++) runs.push({ case: c, column: p, repeat: s, repeats: last - first + 1, seed: s });
        continue;
      }
      const repeats = predicted === 'may-fail' ? req.repeats : 1;
      for (let r = 1; r <= repeats; r++) runs.push({ case: c, column: p, repeat: r, repeats, seed: null });
    }
  }
  return { request: req, columns, runs };
}

function keyOfPlanned(plan: TorturePlan, run: PlannedRun, hostKind: string): string {
  return runKey({ hostKind, profile: plan.request.profile, scale: plan.request.scale, case: run.case.name, column: run.column.column.label, repeat: run.repeat });
}

/** A planned run's unit name in a sweep (src/sweep/unit-ids.ts). */
export function unitIdOfRun(run: PlannedRun): string {
  return tortureUnitId({ case: run.case.name, column: run.column.column.label, repeat: run.repeat });
}

/** The plan's runs a shard runs (all of them without a sweep). */
export function runsOfShard(plan: TorturePlan, sweep: SweepRun | undefined): readonly PlannedRun[] {
  return sweep ? plan.runs.filter((r) => sweep.torture.has(unitIdOfRun(r))) : plan.runs;
}

/** The runs of a plan that an output file already holds for this kind of host (what resume skips). */
export function completedTortureRuns(plan: TorturePlan, file: string, host: HostInfo = hostInfo()): Map<string, TortureRunRecord> {
  const hostKind = hostKindOf(host);
  const wanted = new Set(plan.runs.map((r) => keyOfPlanned(plan, r, hostKind)));
  const done = new Map<string, TortureRunRecord>();
  for (const r of readTortureRuns(file).records) {
    const k = keyOfRecord(r);
    if (wanted.has(k) && !done.has(k)) done.set(k, r);
  }
  return done;
}

/** The runs of a plan (or of a shard of it) that an output file does not hold yet for this kind of host (what a resumed run will start). */
export function remainingTortureRuns(plan: TorturePlan, file: string, host: HostInfo = hostInfo(), sweep?: SweepRun): PlannedRun[] {
  const done = completedTortureRuns(plan, file, host);
  const hostKind = hostKindOf(host);
  return runsOfShard(plan, sweep).filter((r) => !done.has(keyOfPlanned(plan, r, hostKind)));
}

/**
 * Runs the plan's runs (skipping those `out` holds when resuming), appending
 * each to `out` as it finishes, and returns the assembled matrix. onProgress
 * is called after every run, resumed ones included, in plan order.
 */
export async function runTortureMatrix(request: TortureRequest, options: TortureRunOptions = {}): Promise<TortureMatrix> {
  const plan = planTorture(request);
  const req = plan.request;
  const host = options.host ?? hostInfo();
  const hostKind = hostKindOf(host);
  const out = options.out ?? null;
  const sweep = options.sweep;
  const runs = runsOfShard(plan, sweep);
  const note = options.onNote ?? (() => {});
  let done = new Map<string, TortureRunRecord>();
  if (out) {
    if (!existsSync(dirname(resolve(out)))) throw new UsageError(`${out}: directory ${dirname(resolve(out))} does not exist`);
    if (existsSync(out) && statSync(out).size > 0) {
      if (!options.resume) throw new UsageError(`${out} already holds torture runs: pass --resume to continue it, or choose another file`);
      const { records, badLines } = readTortureRuns(out);
      if (badLines.length) note(`${out}: ${badLines.length} unreadable line(s) ignored (${badLines.slice(0, 5).join(', ')})`);
      const foreign = records.filter((r) => hostKindOf(r.host) !== hostKind).length;
      if (foreign) note(`${out}: ${foreign} run(s) from another kind of host are kept in the file but not resumed`);
      done = completedTortureRuns(plan, out, host);
      ensureLineStart(out);
    }
    if (sweep) claimSweepFile(out, sweep.header);
  }
  const created = new Date().toISOString();
  const records: TortureRunRecord[] = [];
  for (const [i, run] of runs.entries()) {
    const key = keyOfPlanned(plan, run, hostKind);
    let record = done.get(key);
    const resumed = record !== undefined;
    if (!record) {
      const { result, load } = await runCell(run.case, run.column, req, run.seed);
      record = {
        kind: 'torture-run', version: 1, profile: req.profile, scale: req.scale, column: run.column.column,
        repeat: run.repeat, result, host, time: new Date().toISOString(),
        ...(sweep ? { sweep: tagOf(sweep.header) } : {}), load,
      };
      if (out) appendTortureRun(out, record);
    }
    records.push(record);
    options.onProgress?.({ index: i + 1, total: runs.length, result: record.result, repeat: run.repeat, repeats: run.repeats, resumed });
  }
  const earliest = records.map((r) => r.time).sort()[0];
  return assembleMatrix({
    created: done.size && earliest && earliest < created ? earliest : created,
    host,
    profile: req.profile,
    scale: req.scale,
    repeats: req.repeats,
    columns: plan.columns.map((p) => p.column),
    cases: [...req.cases],
    runs: records,
  });
}
