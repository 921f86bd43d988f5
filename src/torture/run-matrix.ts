// runTortureMatrix: every (case, column) cell, one process at a time, each
// classified against the column's predictions. Used by `mttcg torture` and by
// the report generator.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TORTURE_CASE_NAMES, type Guarantees, type TortureCaseName } from '../emulator/atomics/guarantees.js';
import { hostInfo } from '../host/host-info.js';
import { UsageError } from '../cli/option-parser.js';
import { caseArgs, elfPath, isTortureCaseName, tortureCase, type TortureCase } from './cases.js';
import { runCellProcess, type CellCommand } from './cell-process.js';
import { classifyCell, predictionAt } from './classify.js';
import type { TortureCellResult, TortureColumn, TortureMatrix, TortureProfile } from './matrix-types.js';
import { QEMU_PEER, qemuInstalled, qemuPeerGuarantees } from './qemu-peer.js';
import { observe } from './result-line.js';
import { defaultSpecTexts, parseStrategySpec } from './strategy-spec.js';

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
}

export interface TortureProgress {
  /** 1-based position of this cell in the run. */
  readonly index: number;
  readonly total: number;
  readonly result: TortureCellResult;
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
/** The guest environment, the same under both emulators (the programs ignore it). */
const GUEST_ENV: Readonly<Record<string, string>> = { PATH: '/usr/bin:/bin', LANG: 'C' };
/** Extra seconds the runner gives mttcg beyond its own --timeout before killing it. */
const KILL_GRACE_SECONDS = 30;

interface PlannedColumn {
  readonly column: TortureColumn;
  readonly guarantees: Guarantees;
  readonly runArgs: readonly string[] | null; // null: the qemu-arm peer
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
  return { specs, threads: [...new Set(threads)], profile: r.profile ?? 'quick', cases: [...new Set(cases)], scale, qemu: r.qemu ?? true, timeoutSeconds };
}

function planColumns(req: Required<TortureRequest>): PlannedColumn[] {
  const specs = req.specs.map(parseStrategySpec);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.text)) throw new UsageError(`strategy spec '${s.text}' given twice`);
    seen.add(s.text);
  }
  const withQemu = req.qemu && qemuInstalled();
  const out: PlannedColumn[] = [];
  for (const threads of req.threads) {
    for (const s of specs) {
      out.push({
        column: { label: `${s.text}@${threads}`, strategy: s.strategy.name, options: s.options, threads, peer: false },
        guarantees: s.guarantees,
        runArgs: s.runArgs,
      });
    }
    if (withQemu) {
      out.push({
        column: { label: `${QEMU_PEER}@${threads}`, strategy: QEMU_PEER, options: {}, threads, peer: true },
        guarantees: qemuPeerGuarantees(),
        runArgs: null,
      });
    }
  }
  return out;
}

function commandFor(p: PlannedColumn, elf: string, args: readonly string[], timeoutSeconds: number): CellCommand {
  if (p.runArgs === null) {
    return { file: 'qemu-arm', args: [elf, ...args], env: GUEST_ENV, killAfterSeconds: timeoutSeconds };
  }
  const envArgs = Object.entries(GUEST_ENV).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return {
    file: process.execPath,
    args: [CLI, 'run', ...p.runArgs, '--timeout', String(timeoutSeconds), '--clean-env', ...envArgs, elf, ...args],
    // the emulator itself runs in the host environment (NODE_OPTIONS and the like)
    env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    killAfterSeconds: timeoutSeconds + KILL_GRACE_SECONDS,
  };
}

async function runCell(c: TortureCase, p: PlannedColumn, req: Required<TortureRequest>): Promise<TortureCellResult> {
  const declared = p.guarantees[c.name];
  const predicted = predictionAt(c, declared, p.column.threads);
  const args = caseArgs(c, req.profile, p.column.threads, req.scale);
  const base = { case: c.name, column: p.column.label, predicted, declared };
  if (args === null) {
    return {
      ...base, observed: 'n/a', cell: 'n/a', resultLine: null, observedKv: {}, exitCode: null, stderrTail: '',
      reason: `needs 2 vCPUs (${c.kind} case)`, args: [], ms: 0,
    };
  }
  const run = await runCellProcess(commandFor(p, elfPath(c), args, req.timeoutSeconds));
  const obs = run.spawnError !== null
    ? { observed: 'fail' as const, result: null, reason: `could not start: ${run.spawnError}` }
    : observe(run, c.resultCase);
  return {
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
}

/** Runs the matrix; onProgress is called after every cell, in run order (cases outer, columns inner). */
export async function runTortureMatrix(request: TortureRequest, onProgress?: (p: TortureProgress) => void): Promise<TortureMatrix> {
  const req = checkRequest(request);
  const created = new Date().toISOString();
  const planned = planColumns(req);
  const cells: TortureCellResult[] = [];
  const total = req.cases.length * planned.length;
  for (const name of req.cases) {
    const c = tortureCase(name);
    for (const p of planned) {
      const result = await runCell(c, p, req);
      cells.push(result);
      onProgress?.({ index: cells.length, total, result });
    }
  }
  const peers = new Set(planned.filter((p) => p.column.peer).map((p) => p.column.label));
  const own = cells.filter((x) => !peers.has(x.column));
  return {
    kind: 'torture-matrix',
    version: 1,
    created,
    host: hostInfo(),
    profile: req.profile,
    scale: req.scale,
    columns: planned.map((p) => p.column),
    cases: [...req.cases],
    cells,
    brokenClaims: own.filter((x) => x.cell === 'fail').length,
    unexpectedPasses: own.filter((x) => x.cell === 'unexpected-pass').length,
  };
}
