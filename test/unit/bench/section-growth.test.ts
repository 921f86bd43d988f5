// bench/lib/section-growth.ts and bench/lib/v8-trace-events.ts: a timed
// section's counters from the section probe's records (src/machine/section-probe.ts).
import t from 'tap';
import { parseProbeRecords, sectionGrowth, timedSections } from '../../../bench/lib/section-growth.js';
import { countV8Events } from '../../../bench/lib/v8-trace-events.js';
import type { SectionProbeRecord } from '../../../src/machine/section-probe.js';

const os = (n: number, core = 1): NonNullable<SectionProbeRecord['os']> => ({
  hostTid: 77, migrations: n, voluntarySwitches: 2 * n, involuntarySwitches: 3 * n, minorFaults: 100 * n,
  majorFaults: 0, core, runNs: 1e6 * n, waitNs: 5e5 * n,
});

function record(tid: number, read: number, n: number): SectionProbeRecord {
  return {
    kind: 'section-probe', tid, slot: 1, read, monoNs: 1e9 * read,
    guest: { tid, guestInsns: 1e6 * n, tbsTranslated: n, regionsCompiled: 0 },
    gc: { count: n, costUs: 250 * n, usedHeap: 1, totalHeap: 2 },
    os: os(n), osAfter: os(n + 0.5),
    threads: [{ tid: 77, name: 'node', runNs: 1e6 * n }, { tid: 78, name: 'node', runNs: 3e6 * n }],
    coresBusyMs: [10 * n, 20 * n],
  };
}

t.test('the timed section is each thread\'s last three reads (start, note, end), for threads that read five times or more', (t) => {
  // bench.h: start, the contended window's note and end, for the warm-up and then the timed section.
  const recs = [1, 2, 3, 4, 5, 6].map((r) => record(1001, r, r * r))
    .concat([record(1000, 1, 1), record(1000, 2, 2), record(1000, 3, 3), record(1000, 4, 4)]);
  const text = ['noise', ...recs.map((r) => JSON.stringify(r)), '{"kind":"section-probe-begin","tid":1001,"read":7}'].join('\n');
  const parsed = parseProbeRecords(text);
  t.equal(parsed.length, 10, 'the records, not the other lines nor the begin marks');
  const sections = timedSections(parsed);
  t.equal(sections.length, 1, 'thread 1000 read only four times: no timed section');
  t.same(sections[0]!.map((r) => r.read), [4, 6], 'from the timed section\'s start read to its end read');
  t.end();
});

t.test('a section\'s growth: every counter\'s end less its start', (t) => {
  const g = sectionGrowth(record(1001, 3, 9), record(1001, 4, 16));
  t.same(g.guest, { guestInsns: 7e6, tbsTranslated: 7, regionsCompiled: 0 }, 'guest counters, tid left out');
  t.equal(g.gcCount, 7);
  t.equal(g.gcMs, 1.75);
  // OS counters from the end of the first read's probe (osAfter, 9.5) to the start of the last's (os, 16).
  t.equal(g.migrations, 6.5);
  t.equal(g.involuntarySwitches, 19.5);
  t.equal(g.minorFaults, 650);
  t.equal(g.waitMs, 3.25);
  t.equal(g.otherThreadsMs, 21, 'thread 78 only: 77 is the vCPU itself');
  t.equal(g.otherCoresBusyMs, 70, 'core 0: the vCPU ended on core 1');
  t.same(g.cores, [1, 1]);
  t.throws(() => sectionGrowth(record(1001, 3, 9), record(1002, 4, 16)), /two threads/);
  t.end();
});

t.test('V8\'s events between the first read\'s record and the last read\'s begin mark', (t) => {
  const start = record(1001, 3, 9);
  const end = record(1001, 4, 16);
  const lines = [
    '[completed compiling 0x1 <JSFunction before (sfi = 0x2)> (target TURBOFAN) - took 1.0, 9.0, 1.0 ms]',
    JSON.stringify(start),
    '[completed compiling 0x1 <JSFunction isRemovable (sfi = 0x2)> (target TURBOFAN) - took 0.010, 0.568, 0.015 ms]',
    '[compiling method 0x3 <JSFunction region_000120d4 (sfi = 0x4)> (target TURBOFAN) OSR, mode: ConcurrencyMode::kSynchronous]',
    '[bailout (kind: deopt-eager, reason: Insufficient type feedback for call): begin. deoptimizing 0x5 <JSFunction runInterpTb (sfi = 0x6)>, 0x7 <Code TURBOFAN>]',
    '[completed compiling 0x8 <JSFunction (sfi = 0x9)> (target TURBOFAN) - took 0.1, 0.2, 0.2 ms]',
    '{"kind":"section-probe-begin","tid":1001,"read":4}',
    '[completed compiling 0x1 <JSFunction inTheProbe (sfi = 0x2)> (target TURBOFAN) - took 5.0, 5.0, 5.0 ms]',
    JSON.stringify(end),
  ].join('\n');
  const ev = countV8Events(lines, start, end);
  t.equal(ev.optimised, 2);
  t.equal(ev.osr, 1);
  t.equal(ev.deopts, 1);
  t.equal(Math.round(ev.compileMs * 1000), 1093, 'the two compiles\' phases summed');
  t.same(ev.names, ['opt isRemovable 0.6 ms', 'osr region_000120d4', 'deopt runInterpTb (Insufficient type feedback for call)', 'opt (anonymous) 0.5 ms']);
  t.throws(() => countV8Events('no records here', start, end), /not in the trace output/);
  t.end();
});
