// The torture catalogue against the programs and their README: every ELF
// exists, the iteration counts are the README's quick and default arguments,
// and scaling keeps a floor.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { TORTURE_CASE_NAMES } from '../../../src/emulator/atomics/guarantees.js';
import { caseArgs, elfPath, scaledIters, tortureCase, TORTURE_DIR } from '../../../src/torture/cases.js';

/** README "Cases" rows: first word of the first cell -> [default N, quick N]. */
function readmeIters(): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const line of readFileSync(join(TORTURE_DIR, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7) continue;
    const name = cells[1]!.split(' ')[0]!;
    const def = cells.at(-3)!.split(' ');
    const quick = cells.at(-2)!.split(' ');
    if (!/^\d+$/.test(def[1] ?? '') || !/^\d+$/.test(quick[1] ?? '')) continue;
    out.set(name, [Number(def[1]), Number(quick[1])]);
  }
  return out;
}

t.test('every case has its program and the README arguments', async (t) => {
  const readme = readmeIters();
  for (const name of TORTURE_CASE_NAMES) {
    const c = tortureCase(name);
    t.ok(existsSync(elfPath(c)!), `${name}: ${c.elf} exists`);
    const thumb = elfPath(c, true);
    if (thumb === null) t.match(c.elf, /^(swp-|aba-plain)/, `${name}: only the SWP programs lack a Thumb build`);
    else t.ok(existsSync(thumb), `${name}: ${c.thumbElf} exists`);
    const program = c.elf.replace(/\.elf$/, '');
    const row = readme.get(name) ?? readme.get(program);
    if (!row) {
      t.fail(`${name}: no row in torture-tests/atomics/README.md`);
      continue;
    }
    t.same([c.iters.full, c.iters.quick], row, `${name}: default and quick iterations as in the README`);
  }
});

t.test('arguments per profile and vCPU count', async (t) => {
  t.same(caseArgs(tortureCase('atomic-add'), 'quick', 2, 1), ['2', '20000']);
  t.same(caseArgs(tortureCase('atomic-add'), 'full', 4, 1), ['4', '100000']);
  t.same(caseArgs(tortureCase('litmus-mp-nodmb'), 'quick', 2, 1), ['2', '5000', 'nodmb']);
  t.same(caseArgs(tortureCase('aba-plain-after-swp'), 'full', 2, 1), ['2', '300', 'swp']);
  t.same(caseArgs(tortureCase('syscall-monitor'), 'quick', 4, 1), ['1', '100']);
  t.equal(tortureCase('aba-plain-after-swp').resultCase, 'aba-plain-after-swp');
  t.equal(tortureCase('litmus-sb-dmb').resultCase, 'litmus-sb');
});

t.test('scale shrinks iterations down to a floor per kind', async (t) => {
  t.equal(scaledIters(tortureCase('atomic-add'), 'quick', 0.25), 5000);
  t.equal(scaledIters(tortureCase('atomic-add'), 'quick', 0.001), 1024, 'counting floor: two chunks');
  t.equal(scaledIters(tortureCase('aba-llsc'), 'quick', 0.01), 20, 'handshake floor');
  t.equal(scaledIters(tortureCase('aba-llsc'), 'quick', 2), 200, 'a scale above 1 grows');
  t.equal(scaledIters(tortureCase('litmus-mp-dmb'), 'full', 1), 20000, 'scale 1 is the profile');
});
