// A measurement's results file (one JSON document with a `kind`, written by a
// benchmark or `mttcg litmus --json`) as the report reads it: parsed, checked
// for the shape its reader needs, and refused with an error naming the file
// and what was expected. One reader for every such file, one error class for
// the CLI to turn into a usage error.

import { readFileSync } from 'node:fs';

export class ResultsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsFileError';
  }
}

/**
 * The document in `file` when `isValid` accepts it (it may be given null or
 * any JSON value); else ResultsFileError "`file`: `expected`". Unreadable or
 * malformed JSON: ResultsFileError "`file`: the parser's message".
 */
export function readResultsFile<T>(file: string, isValid: (r: Partial<T> | null) => boolean, expected: string): T {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ResultsFileError(`${file}: ${(e as Error).message}`);
  }
  const r = v as Partial<T> | null;
  if (!isValid(r)) throw new ResultsFileError(`${file}: ${expected}`);
  return r as T;
}
