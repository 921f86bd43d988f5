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

const elf = (name: string): string => join(ROOT, 'torture-tests', 'process', `${name}.elf`);

t.test('two processes contending on a MAP_SHARED counter and lock: every strategy keeps its guarantee', async (t) => {
  // unsafe guarantees nothing (it may lose updates); the others must count every one.
  for (const strategy of ['cmpxchg', 'stop-the-world', 'aie', 'tlbexcl', 'unsafe']) {
    const r = runMttcg(elf('proc-shared'), ['5000'], ['--strategy', strategy]);
    t.match(r.stdout, /ldrex\/strex \d+, kuser cmpxchg \d+, process-shared mutex \d+/, `${strategy}: ran to the end`);
    if (strategy !== 'unsafe') t.equal(r.status, 0, `${strategy}: every update counted (${r.stdout.trim()})`);
  }
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
