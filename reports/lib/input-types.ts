// The two inputs a report is made of, in the formats their runners write:
// the torture matrix (src/torture/matrix-types.ts) and one benchmark record
// per run (bench/runner/bench-record.ts, one JSON object per line).

export type { Cell, TortureCellResult, TortureColumn, TortureMatrix } from '../../src/torture/matrix-types.js';
export type { BenchPeer, BenchRecord } from '../../bench/runner/bench-record.js';
