// Before a run appends to a results file, the file is claimed for the
// run's plan and shard: a new file gets the plan's header as its first
// line; a file that already has it is resumed. A shard's file belongs to
// that shard of that plan alone, so a shard never appends to a file of
// another plan or shard (shards on a shared filesystem would interleave,
// and a merge could no longer say what a file covers). An unsharded file
// may hold several plans, one after the other (`mttcg report --results`
// extends a quick report's file with a full one); it gets a header per plan.

import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../cli/option-parser.js';
import { appendJsonLine, ensureLineStart } from '../host/jsonl-file.js';
import { isWhole, shardText } from './shard.js';
import { readSweepHeaders, type SweepHeader } from './sweep-plan.js';

function describeHeader(h: SweepHeader): string {
  return `shard ${shardText(h.shard)} of plan ${h.planHash} (mttcg ${h.command} ${h.argv.join(' ')})`;
}

/** Checks that `file` may take records of the header's plan and shard, and writes the header if the file lacks it. */
export function claimSweepFile(file: string, header: SweepHeader): void {
  const present = existsSync(file) && statSync(file).size > 0;
  const headers = present ? readSweepHeaders(file) : [];
  if (headers.some((h) => h.planHash === header.planHash && h.shard.index === header.shard.index && h.shard.count === header.shard.count)) return;
  const sharded = headers.find((h) => !isWhole(h.shard));
  if (sharded) {
    throw new UsageError(`${file} holds ${describeHeader(sharded)}; this run is ${describeHeader(header)}: every shard of every plan appends to a file of its own (choose another --out)`);
  }
  if (!isWhole(header.shard) && present) {
    const what = headers.length ? `holds ${describeHeader(headers[0]!)}` : 'holds records of no sweep plan (written before sweeps, or by hand)';
    throw new UsageError(`${file} ${what}; this run is ${describeHeader(header)}, which needs a file of its own (choose another --out)`);
  }
  ensureLineStart(file);
  appendJsonLine(file, header);
}
