// LDREX/STREX at 8 vCPUs (STRATEGIES.md: "8 vCPUs doing LDREX/STREX on one
// word; a failed STREX must not clear others' reservations; gem5 livelocked
// at 7-8 CPUs"), through `mttcg torture --json` for every strategy that
// claims correctness and aie with its plain-store checks always on: the
// counting case atomic-add must finish exact with no give-up (a give-up is
// 1,000,000 STREX failures in a row, i.e. no progress), and the two cases
// about reservations that must survive (own-store-window, strex-fail-keeps)
// must pass at 8 vCPUs too.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { TortureMatrix } from '../../src/torture/matrix-types.js';
import { CLI } from '../../harness/guest-runner.js';

const STRATEGIES = ['stop-the-world', 'cmpxchg', 'tlbexcl', 'aie', 'aie:aie-stores=always'];
const CASES = ['atomic-add', 'own-store-window', 'strex-fail-keeps'];

t.setTimeout(900_000);
const dir = mkdtempSync(join(tmpdir(), 'mttcg-strex8-'));
const jsonFile = join(dir, 'matrix.json');
const run = spawnSync(process.execPath, [CLI, 'torture', '--strategy', STRATEGIES.join(','), '--cases', CASES.join(','),
  '--threads', '8', '--quick', '--scale', '0.25', '--no-qemu', '--timeout', '240', '--json', jsonFile], {
  encoding: 'utf8', timeout: 870_000, maxBuffer: 64 << 20,
});
const matrix = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as TortureMatrix) : null;
rmSync(dir, { recursive: true, force: true });

t.test('8 vCPUs: every claiming strategy makes progress and keeps reservations', async (t) => {
  t.ok(matrix, `the matrix was written (exit ${run.status}, signal ${run.signal})`);
  if (!matrix) {
    t.comment((run.stderr ?? '').slice(-3000));
    return;
  }
  t.equal(matrix.cells.length, STRATEGIES.length * CASES.length, 'one cell per strategy and case');
  for (const c of matrix.cells) {
    t.equal(c.cell, 'pass', `${c.case} on ${c.column}: ${c.resultLine ?? c.reason ?? ''}`);
    if (c.case === 'atomic-add') t.match(c.resultLine ?? '', /giveups=0,/, `${c.column}: no give-up at 8 vCPUs`);
  }
  t.equal(run.status, 0, 'exit 0');
});
