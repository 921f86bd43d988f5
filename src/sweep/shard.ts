// Shards of a sweep: `--shard K/N` (1 <= K <= N) takes the K-th of N
// disjoint parts of a plan's units (torture runs, benchmark runs: every
// cell, point, repeat). The partition is a pure function of the units'
// names, so every machine that plans the same sweep computes the same
// parts without talking to the others. Without --shard, a Slurm job array's
// task environment chooses the shard (the only thing the harness knows of
// Slurm); otherwise the whole plan is one shard, 1/1.

import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../cli/option-parser.js';

export interface Shard {
  /** 1-based: 1..count. */
  readonly index: number;
  readonly count: number;
}

export const WHOLE_PLAN: Shard = { index: 1, count: 1 };

/** More shards than this is a typo, not a sweep. */
export const MAX_SHARDS = 100_000;

export function shardText(s: Shard): string {
  return `${s.index}/${s.count}`;
}

export function isWhole(s: Shard): boolean {
  return s.count === 1;
}

/** `K/N` as given to --shard (or built from the environment, named by `source`). */
export function parseShard(text: string, source = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${source}: '${text}' is not K/N (shard K of N, counted from 1, e.g. 2/3)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`${source}: the shard count must be from 1 to ${MAX_SHARDS} (got ${count})`);
  if (index < 1 || index > count) throw new UsageError(`${source}: shard ${index} of ${count} does not exist (shards are counted from 1 to ${count})`);
  return { index, count };
}

/**
 * The shard a Slurm job array task is: K = SLURM_ARRAY_TASK_ID (submit
 * with --array=1-N), N = MTTCG_SHARDS when set, else
 * SLURM_ARRAY_TASK_COUNT. A resubmission of some tasks only
 * (--array=2) has a task count of 1, so the sweep scripts set
 * MTTCG_SHARDS; a task id above the count says so. Null outside an array.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | null {
  const id = env.SLURM_ARRAY_TASK_ID;
  if (id === undefined || id === '') return null;
  const fromShards = env.MTTCG_SHARDS !== undefined && env.MTTCG_SHARDS !== '';
  const count = fromShards ? env.MTTCG_SHARDS! : env.SLURM_ARRAY_TASK_COUNT;
  const countName = fromShards ? 'MTTCG_SHARDS' : 'SLURM_ARRAY_TASK_COUNT';
  if (count === undefined || count === '') {
    throw new UsageError(`SLURM_ARRAY_TASK_ID=${id} is set but neither MTTCG_SHARDS nor SLURM_ARRAY_TASK_COUNT is: set MTTCG_SHARDS to the sweep's shard count, or pass --shard K/N`);
  }
  if (/^\d+$/.test(id) && /^\d+$/.test(count) && Number(id) > Number(count)) {
    throw new UsageError(
      `SLURM_ARRAY_TASK_ID=${id} is above ${countName}=${count}: shards are the array's task ids 1..N (sbatch --array=1-N); ` +
        `when re-running some tasks only, set MTTCG_SHARDS to the sweep's shard count (sbatch --export=ALL,MTTCG_SHARDS=N --array=K ...)`,
    );
  }
  if (id === '0') throw new UsageError('SLURM_ARRAY_TASK_ID=0: shards are counted from 1; submit the array as --array=1-N (or pass --shard K/N)');
  return parseShard(`${id}/${count}`, `SLURM_ARRAY_TASK_ID=${id}, ${countName}=${count}`);
}

/** --shard when given, else the job array's task, else the whole plan. */
export function resolveShard(given: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (given !== undefined) return parseShard(given);
  return shardFromEnv(env) ?? WHOLE_PLAN;
}

/**
 * The file a shard appends to: the shard's tag before the extension
 * (`sweep/torture.jsonl` -> `sweep/torture.shard-2-of-3.jsonl`), so all
 * shards may be given the same --out and still never share a file; the
 * whole plan keeps the name as given.
 */
export function shardedPath(path: string, s: Shard): string {
  if (isWhole(s)) return path;
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  const tagged = dot > 0 ? `${name.slice(0, dot)}.shard-${s.index}-of-${s.count}${name.slice(dot)}` : `${name}.shard-${s.index}-of-${s.count}`;
  return join(dirname(path), tagged);
}

/**
 * The shard (1..count) of each unit, in the order given: the units are
 * ranked by a SHA-256 of their names and dealt out in turn, so the parts
 * differ in size by at most one, mix every kind of unit (a plan's cheap
 * and dear columns do not land in one shard), and depend only on the
 * set of names.
 */
export function assignShards(unitIds: readonly string[], count: number): number[] {
  const ranked = unitIds
    .map((id, i) => ({ i, h: createHash('sha256').update(id).digest('hex'), id }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = new Array<number>(unitIds.length);
  ranked.forEach((u, rank) => {
    out[u.i] = (rank % count) + 1;
  });
  return out;
}
