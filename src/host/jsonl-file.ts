// Result files as JSON Lines, appended one record at a time: a record is one
// line written with a single appendFileSync, so a run that is killed loses
// at most the record in progress, and a reader skips (and reports) a line cut
// short. Used by the benchmark results and the torture runs.

import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/**
 * Kinds of line that head a results file without being records: a sweep's
 * plan (src/sweep/sweep-plan.ts). Readers of records pass over them; they
 * are neither records nor bad lines.
 */
const HEADER_KINDS: ReadonlySet<unknown> = new Set(['sweep-plan']);

export interface JsonLines<T> {
  readonly records: T[];
  /** 1-based line numbers that did not parse or were not records (e.g. a line cut short by a kill). */
  readonly badLines: number[];
}

/** Reads a JSON Lines file; a missing file reads as empty. Lines that are not records are reported, not fatal. */
export function readJsonLines<T>(file: string, isRecord: (x: unknown) => x is T): JsonLines<T> {
  if (!existsSync(file)) return { records: [], badLines: [] };
  const records: T[] = [];
  const badLines: number[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        badLines.push(i + 1);
        return;
      }
      if (isRecord(parsed)) records.push(parsed);
      else if (!HEADER_KINDS.has((parsed as { kind?: unknown } | null)?.kind)) badLines.push(i + 1);
    });
  return { records, badLines };
}

/**
 * If a run was killed in the middle of a write, the file ends without a
 * newline; the next record must start on a line of its own, or it would be
 * glued to the broken one and lost with it.
 */
export function ensureLineStart(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) appendFileSync(file, '\n');
  } finally {
    closeSync(fd);
  }
}

/** Appends one record as one line with a single write. */
export function appendJsonLine(file: string, record: unknown): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
