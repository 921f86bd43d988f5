// The torture cases built as Thumb-2 hard-float (torture-tests/atomics/
// *.thumb.elf: LDREX/STREX and barriers in their T32 encodings, glibc armhf)
// give the verdicts the A32 builds give: `mttcg torture --thumb` for
// cmpxchg and tlbexcl and the qemu-arm peer. Every cell whose
// prediction is definite (pass or fail, not may-fail) gets exactly that
// verdict, as the A32 matrix test asserts for the same strategies; the SWP
// cases have no Thumb build and are n/a. Scale 0.1, as the A32 matrix test.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { TORTURE_CASE_NAMES } from '../../src/emulator/atomics/guarantees.js';
import { tortureCase } from '../../src/torture/cases.js';
import type { TortureMatrix } from '../../src/torture/matrix-types.js';
import { runCli } from '../../harness/cli-child.js';
import { CLI, qemuAvailable } from '../../harness/guest-runner.js';

const haveQemu = qemuAvailable();
const STRATEGIES = ['cmpxchg', 'tlbexcl'];
const jsonFile = join(mkdtempSync(join(tmpdir(), 'mttcg-torture-thumb-')), 'matrix.json');
const args = [CLI, 'torture', '--thumb', '--strategy', STRATEGIES.join(','), '--threads', '2', '--quick',
  '--scale', '0.1', '--timeout', '90', '--json', jsonFile, ...(haveQemu ? [] : ['--no-qemu'])];
// 63 cells of 2-3 s each on the idle 2-core machine (about 3 minutes); a
// cell takes 10-30 s at load average 25: allow 20 minutes.
t.setTimeout(1_200_000);
const run = await runCli(args, 1_170_000);
const written = existsSync(jsonFile);
const matrix = (written ? JSON.parse(readFileSync(jsonFile, 'utf8')) : { cells: [], columns: [] }) as TortureMatrix;
const noMatrix = written ? false : 'no matrix was written (see the first test)';
const ARM_ONLY = new Set(TORTURE_CASE_NAMES.filter((n) => tortureCase(n).thumbElf === null));

t.test('mttcg torture --thumb wrote its matrix', async (t) => {
  t.ok(written, `--json file written (exit ${run.status}, signal ${run.signal}${run.error ? `, ${run.error.message}` : ''})\n${run.stderr.slice(-3000)}`);
});

t.test('no strategy breaks a declared guarantee in Thumb state', { skip: noMatrix }, async (t) => {
  t.equal(run.status, 0, `exit 0\n${run.stdout}`);
  t.equal(matrix.brokenClaims, 0);
  const labels = [...STRATEGIES.map((s) => `${s}@2/thumb`), ...(haveQemu ? ['qemu-arm@2/thumb'] : [])];
  t.same(matrix.columns.map((c) => c.label), labels, 'the columns name the Thumb builds');
  t.same([...ARM_ONLY].sort(), ['aba-plain', 'aba-plain-after-swp', 'swp-lock', 'swp-mixed'], 'only the SWP cases lack a Thumb build');
  for (const c of matrix.cells) {
    if (ARM_ONLY.has(c.case)) t.equal(c.cell, 'n/a', `${c.case}: n/a (${c.reason})`);
    else t.not(c.cell, 'n/a', `${c.case} on ${c.column} ran`);
  }
});

t.test('definite predictions get the same verdict as the A32 builds', { skip: noMatrix }, async (t) => {
  for (const c of matrix.cells) {
    if (c.cell === 'n/a' || c.predicted === 'may-fail') continue;
    const want = c.predicted === 'pass' ? 'pass' : 'expected-fail';
    t.equal(c.cell, want, `${c.case} on ${c.column}: ${want}`);
  }
  // The findings the A32 matrix shows, in Thumb code.
  const cell = (k: string, col: string): string | undefined => matrix.cells.find((x) => x.case === k && x.column === col)?.cell;
  for (const k of ['aba-llsc', 'store-same', 'treiber-aba']) t.equal(cell(k, 'cmpxchg@2/thumb'), 'expected-fail', `cmpxchg misses ${k}`);
  for (const k of ['aba-llsc', 'store-same', 'treiber-aba', 'store-diff']) t.equal(cell(k, 'tlbexcl@2/thumb'), 'pass', `tlbexcl catches ${k}`);
  if (haveQemu) t.equal(cell('syscall-monitor', 'qemu-arm@2/thumb'), 'expected-fail', 'qemu-arm keeps the reservation across a syscall');
});
