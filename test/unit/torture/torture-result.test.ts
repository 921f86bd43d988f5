// Reading a torture run: the RESULT line, and every way a run that did not
// produce a clean RESULT line counts as a failure (so the matrix can fail).
// The process cases run real host processes (node -e ...).

import t from 'tap';
import { runCellProcess } from '../../../src/torture/cell-process.js';
import { describeExit, findResultLines, observe } from '../../../src/torture/result-line.js';

const PASS_LINE = 'RESULT case=store-diff status=pass observed=strex_succeeded=0,strex_failed=100,retried=3 threads=2 iters=100';
const FAIL_LINE = 'RESULT case=aba-plain status=fail observed=strex_succeeded=100,strex_failed=0 threads=2 iters=100';

t.test('RESULT line parsing', async (t) => {
  const [r] = findResultLines(`some output\n${PASS_LINE}\n`);
  t.ok(r);
  t.equal(r!.caseName, 'store-diff');
  t.equal(r!.status, 'pass');
  t.equal(r!.line, PASS_LINE);
  t.same(r!.kv, { case: 'store-diff', status: 'pass', strex_succeeded: '0', strex_failed: '100', retried: '3', threads: '2', iters: '100' });
  t.same(findResultLines('no result here\n'), []);
  t.equal(findResultLines(`${PASS_LINE}\n${FAIL_LINE}\n`).length, 2);
});

t.test('observe: the RESULT status of a clean exit', async (t) => {
  t.same(observe({ stdout: `${PASS_LINE}\n`, exitCode: 0, killedAfter: null }, 'store-diff').observed, 'pass');
  const f = observe({ stdout: `${FAIL_LINE}\n`, exitCode: 0, killedAfter: null }, 'aba-plain');
  t.equal(f.observed, 'fail');
  t.equal(f.reason, null, 'a plain status=fail needs no extra reason');
});

t.test('observe: everything else is a failure with a reason', async (t) => {
  const cases: [string, Parameters<typeof observe>[0], RegExp][] = [
    ['no RESULT line', { stdout: 'hello\n', exitCode: 0, killedAfter: null }, /no RESULT line; exit 0/],
    ['crash without a line', { stdout: '', exitCode: 134, killedAfter: null }, /no RESULT line; exit 134 \(SIGABRT\)/],
    ['non-zero exit after a pass line', { stdout: `${PASS_LINE}\n`, exitCode: 1, killedAfter: null }, /exit 1 after its RESULT line/],
    ['mttcg timeout', { stdout: '', exitCode: 124, killedAfter: null }, /exit 124 \(timeout\)/],
    ['killed by the runner', { stdout: `${PASS_LINE}\n`, exitCode: null, killedAfter: 5 }, /killed after 5 s/],
    ['two RESULT lines', { stdout: `${PASS_LINE}\n${PASS_LINE}\n`, exitCode: 0, killedAfter: null }, /2 RESULT lines/],
    ['wrong case', { stdout: `${PASS_LINE}\n`, exitCode: 0, killedAfter: null }, /names case 'store-diff', expected 'store-same'/],
    ['odd status', { stdout: 'RESULT case=store-diff status=maybe\n', exitCode: 0, killedAfter: null }, /status 'maybe'/],
  ];
  for (const [name, outcome, re] of cases) {
    const o = observe(outcome, name === 'wrong case' ? 'store-same' : 'store-diff');
    t.equal(o.observed, 'fail', `${name}: fail`);
    t.match(o.reason ?? '', re, `${name}: reason`);
  }
  t.equal(describeExit(139), 'exit 139 (SIGSEGV)');
  t.equal(describeExit(125), 'exit 125 (guest deadlock)');
});

const node = (code: string, killAfterSeconds = 60) => runCellProcess({ file: process.execPath, args: ['-e', code], env: {}, killAfterSeconds });

t.test('real processes: a crash, a non-zero exit and a hang are failures', async (t) => {
  const crash = await node(`process.stderr.write('dying\\n'); process.kill(process.pid, 'SIGABRT'); setTimeout(() => {}, 5000)`);
  t.equal(crash.exitCode, 134, 'death by SIGABRT is 128+6');
  t.match(crash.stderrTail, /dying/, 'stderr is kept');
  t.match(observe(crash, 'store-diff').reason ?? '', /no RESULT line; exit 134 \(SIGABRT\)/);

  const exit3 = await node(`console.log(${JSON.stringify(PASS_LINE)}); process.exit(3)`);
  t.equal(exit3.exitCode, 3);
  t.equal(observe(exit3, 'store-diff').observed, 'fail', 'a pass line does not excuse exit 3');

  const ok = await node(`console.log(${JSON.stringify(PASS_LINE)})`);
  t.equal(observe(ok, 'store-diff').observed, 'pass', 'the same line with exit 0 passes');

  const hang = await node('setInterval(() => {}, 1000)', 0.5);
  t.equal(hang.killedAfter, 0.5, 'the runner killed it at its deadline');
  t.equal(hang.exitCode, null);
  t.equal(observe(hang, 'store-diff').observed, 'fail');

  const missing = await runCellProcess({ file: '/nonexistent/program', args: [], env: {}, killAfterSeconds: 5 });
  t.match(missing.spawnError ?? '', /ENOENT/, 'a program that cannot start is reported');
  t.equal(missing.exitCode, null);
});
