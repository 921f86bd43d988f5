// The --shard option that torture, bench and report share (src/sweep/):
// its help, the shard a run is (the option, else a Slurm job array's task,
// else the whole plan), and the command line a sweep's header records
// (without --shard, so that any shard can be named when running it again).

import type { OptionSpec, Parsed } from './option-parser.js';
import { resolveShard, type Shard } from '../sweep/shard.js';

export const SHARD_OPTION: OptionSpec = {
  name: 'shard',
  kind: 'string',
  help:
    'run only shard K of N of the plan (K/N, counted from 1; every cell, point and repeat is in exactly one shard); records go to ' +
    'OUT.shard-K-of-N.jsonl beside --out. Default: inside a Slurm job array, K = SLURM_ARRAY_TASK_ID and N = MTTCG_SHARDS, else ' +
    'SLURM_ARRAY_TASK_COUNT; otherwise the whole plan. Merge the shards with mttcg report --from',
};

export function shardOf(p: Parsed, env: NodeJS.ProcessEnv = process.env): Shard {
  return resolveShard(p.values.get('shard') as string | undefined, env);
}

/** The arguments without --shard K/N (or --shard=K/N). */
export function argvWithoutShard(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--shard') i++;
    else if (!argv[i]!.startsWith('--shard=')) out.push(argv[i]!);
  }
  return out;
}
