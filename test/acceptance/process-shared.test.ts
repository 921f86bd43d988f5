// The process torture case under every strategy (issue 22 item 3): two
// child processes and their parent contend on a MAP_SHARED page (LDREX/STREX,
// kuser cmpxchg, a process-shared mutex over futexes). Several runs per
// strategy, so it lives with the acceptance repeats.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { TortureMatrix } from '../../src/torture/matrix-types.js';
import { CLI, ROOT, runMttcg } from '../../harness/guest-runner.js';

const RESULT_LINE = /ldrex\/strex \d+, kuser cmpxchg \d+, process-shared mutex \d+/;
const elf = (name: string): string => join(ROOT, 'torture-tests', 'process', `${name}.elf`);

t.test('two processes contending on a MAP_SHARED counter and lock: every strategy keeps its guarantee', async (t) => {
  // The strategies that claim atomicity must run to the end and count every update.
  for (const strategy of ['cmpxchg', 'stop-the-world', 'aie', 'tlbexcl']) {
    const r = runMttcg(elf('proc-shared'), ['5000'], ['--strategy', strategy]);
    t.match(r.stdout, RESULT_LINE, `${strategy}: ran to the end`);
    t.equal(r.status, 0, `${strategy}: every update counted (${r.stdout.trim()})`);
  }
  // unsafe guarantees nothing: a lost update on the mutex word can leave every
  // process asleep on the futex (mttcg reports the guest deadlock, exit 125) or
  // trip glibc's own owner assertion (SIGABRT, 134). What it must never do is
  // hang or end in a host error.
  const r = runMttcg(elf('proc-shared'), ['5000'], ['--strategy', 'unsafe']);
  const outcome = RESULT_LINE.test(r.stdout) ? 'ran to the end'
    : r.status === 125 && /guest deadlock: every thread is blocked/.test(r.stderr) ? 'guest deadlock reported'
      : r.status === 134 && /Assertion .* failed/.test(r.stderr) ? "glibc's mutex assertion"
        : null;
  t.ok(outcome, `unsafe: ${outcome ?? `unexpected end: status ${r.status}, stderr ${r.stderr.slice(-400)}`}`);
  t.notMatch(r.stderr, /\n\s+at .*\.js:\d+/, 'unsafe: no host stack trace');
});

// The same race as a `mttcg torture` case (fork-counter: forked processes, a
// LDREX/STREX add and a LDREX/STREX lock in MAP_SHARED memory), so the torture
// matrix and its verdicts cover processes: every default column's claim must hold.
t.test('mttcg torture runs the multi-process case fork-counter under every strategy', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-fork-counter-'));
  const json = join(dir, 'matrix.json');
  const r = spawnSync(process.execPath, [CLI, 'torture', '--cases', 'fork-counter', '--quick', '--scale', '0.25',
    '--no-qemu', '--timeout', '240', '--json', json], { encoding: 'utf8', timeout: 1_800_000 });
  const matrix = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as TortureMatrix) : null;
  rmSync(dir, { recursive: true, force: true });
  t.ok(matrix, `the matrix was written (exit ${r.status}): ${(r.stderr ?? '').slice(-500)}`);
  if (!matrix) return;
  t.ok(matrix.cells.length >= 5, `${matrix.cells.length} columns`);
  for (const c of matrix.cells) {
    t.match(c.resultLine ?? '', /RESULT case=fork-counter /, `${c.column}: the case ran to its RESULT line`);
    t.not(c.cell, 'fail', `${c.column}: ${c.cell} (${c.resultLine ?? c.reason ?? ''})`);
  }
  t.equal(r.status, 0, 'exit 0: no broken guarantee');
});
