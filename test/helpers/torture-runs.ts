// Torture run records for the resume tests: a request whose plan is three
// runs of a may-fail cell and one of a must-pass cell, and hand-made runs of
// it as `mttcg torture --out` would have written them.

import { hostInfo, hostKindOf, type HostInfo } from '../../src/host/host-info.js';
import type { TortureCellResult } from '../../src/torture/matrix-types.js';
import type { TortureRequest } from '../../src/torture/run-matrix.js';
import type { TortureRunRecord } from '../../src/torture/run-record.js';

export const HERE = hostInfo();
/** Another kind of machine (more cores): its runs are never pooled with, or resumed as, this one's. */
const OTHER_FIELDS = { ...HERE, hostId: 'elsewhere000', cores: HERE.cores + 62 };
export const OTHER: HostInfo = { ...OTHER_FIELDS, hostKind: hostKindOf(OTHER_FIELDS) };

/** treiber is may-fail under cmpxchg: 3 runs; syscall-monitor must pass: 1 run. */
export const REQUEST: TortureRequest = { specs: ['cmpxchg'], cases: ['treiber', 'syscall-monitor'], qemu: false, repeats: 3, timeoutSeconds: 60 };

export function fakeRun(kase: 'treiber' | 'syscall-monitor', repeat: number, observed: 'pass' | 'fail', host: HostInfo = HERE, kv: Record<string, string> = {}): TortureRunRecord {
  const predicted = kase === 'treiber' ? 'may-fail' : 'pass';
  const result: TortureCellResult = {
    case: kase, column: 'cmpxchg@2', predicted, declared: predicted, observed,
    cell: observed === 'pass' ? 'pass' : predicted === 'pass' ? 'fail' : 'expected-fail',
    resultLine: `RESULT case=${kase} status=${observed}`, observedKv: { case: kase, status: observed, ...kv },
    exitCode: 0, stderrTail: '', reason: null, args: ['2', '100'], ms: 5,
  };
  return {
    kind: 'torture-run', version: 1, profile: 'quick', scale: 1, repeat, result, host, time: '2026-01-01T00:00:00.000Z',
    column: { label: 'cmpxchg@2', strategy: 'cmpxchg', options: {}, threads: 2, peer: false },
  };
}

