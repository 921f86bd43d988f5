// The torture matrix's policy: prediction x observation -> cell, the
// relaxation at one vCPU, n/a for pair-based cases, and the words printed.

import t from 'tap';
import { TORTURE_CASE_NAMES, type Prediction } from '../../../src/emulator/atomics/guarantees.js';
import { caseArgs, guestThreads, tortureCase } from '../../../src/torture/cases.js';
import { classifyCell, predictionAt } from '../../../src/torture/classify.js';
import { cellText } from '../../../src/torture/matrix-text.js';
import type { Cell, Observed, TortureCellResult } from '../../../src/torture/matrix-types.js';

t.test('classifyCell: every prediction against every observation', async (t) => {
  const table: [Prediction, Observed, Cell][] = [
    ['pass', 'pass', 'pass'],
    ['pass', 'fail', 'fail'],
    ['fail', 'fail', 'expected-fail'],
    ['fail', 'pass', 'unexpected-pass'],
    ['may-fail', 'pass', 'pass'],
    ['may-fail', 'fail', 'expected-fail'],
    ['pass', 'n/a', 'n/a'],
    ['fail', 'n/a', 'n/a'],
    ['may-fail', 'n/a', 'n/a'],
  ];
  for (const [p, o, want] of table) t.equal(classifyCell(p, o), want, `${p} + ${o}`);
});

t.test('predictionAt: a counting case cannot race at one vCPU', async (t) => {
  const counting = tortureCase('atomic-add');
  t.equal(predictionAt(counting, 'fail', 1), 'pass', 'fail becomes pass at 1');
  t.equal(predictionAt(counting, 'may-fail', 1), 'pass', 'may-fail becomes pass at 1');
  t.equal(predictionAt(counting, 'fail', 2), 'fail', 'kept at 2');
  t.equal(predictionAt(counting, 'may-fail', 4), 'may-fail', 'kept at 4');
  // syscall-monitor fails without any second vCPU: never relaxed
  t.equal(predictionAt(tortureCase('syscall-monitor'), 'fail', 1), 'fail');
  t.equal(predictionAt(tortureCase('aba-plain'), 'fail', 2), 'fail');
});

t.test('thread counts per kind', async (t) => {
  for (const name of ['aba-plain', 'aba-plain-after-swp', 'treiber-aba', 'litmus-mp-dmb', 'litmus-sb-nodmb', 'pthread-stress'] as const) {
    t.equal(guestThreads(tortureCase(name), 1), null, `${name} is n/a at 1 vCPU`);
    t.equal(caseArgs(tortureCase(name), 'quick', 1, 1), null, `${name}: no args at 1 vCPU`);
  }
  t.equal(guestThreads(tortureCase('aba-llsc'), 3), 2, 'pairs: odd count rounded down');
  t.equal(guestThreads(tortureCase('pthread-stress'), 3), 3, 'stress keeps an odd count');
  t.equal(guestThreads(tortureCase('syscall-monitor'), 4), 1, 'syscall-monitor is single-threaded');
  t.equal(guestThreads(tortureCase('spinlock-ldrex'), 1), 1, 'counting runs at 1');
});

t.test('cellText shows prediction and outcome', async (t) => {
  const base: TortureCellResult = {
    case: 'treiber', column: 'cmpxchg@2', predicted: 'pass', declared: 'pass', observed: 'pass', cell: 'pass',
    resultLine: null, observedKv: {}, exitCode: 0, stderrTail: '', reason: null, args: [], ms: 0,
  };
  t.equal(cellText(base), 'pass');
  t.equal(cellText({ ...base, observed: 'fail', cell: 'fail' }), 'FAIL');
  t.equal(cellText({ ...base, predicted: 'fail', declared: 'fail', observed: 'fail', cell: 'expected-fail' }), 'xfail');
  t.equal(cellText({ ...base, predicted: 'fail', declared: 'fail', cell: 'unexpected-pass' }), 'XPASS');
  t.equal(cellText({ ...base, predicted: 'may-fail', declared: 'may-fail' }), 'pass?');
  t.equal(cellText({ ...base, predicted: 'may-fail', declared: 'may-fail', observed: 'fail', cell: 'expected-fail' }), 'xfail?');
  t.equal(cellText({ ...base, declared: 'fail' }), 'pass*', 'relaxed at 1 vCPU');
  t.equal(cellText({ ...base, declared: 'may-fail', observed: 'n/a', cell: 'n/a' }), 'n/a');
});

t.test('the catalogue covers every case name', async (t) => {
  for (const name of TORTURE_CASE_NAMES) t.equal(tortureCase(name).name, name);
});
