// The litmus parser (src/litmus/litmus-parse.ts), the outcome tally and
// verdicts (litmus-run.ts tallyRuns) and the program builder's encodings.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { LITMUS_DIR } from '../../../src/litmus/litmus-catalogue.js';
import { modifiedImmediate } from '../../../src/litmus/litmus-a32.js';
import { LitmusParseError, parseLitmus } from '../../../src/litmus/litmus-parse.js';
import { buildLitmusProgram, decodeRuns } from '../../../src/litmus/litmus-program.js';
import { checkClaim, tallyRuns, type LitmusColumn } from '../../../src/litmus/litmus-run.js';
import { holds, propositionText, type Observable } from '../../../src/litmus/litmus-test.js';
import { guaranteesExcept } from '../../../src/emulator/atomics/guarantees.js';

const MP = `ARM MP
"doc"
Expected=Allowed
Source=somewhere
(* a comment
   over two lines *)
{ 0:R0=x; 0:R2=y; 1:R0=y; 1:R2=x; int z=7; }
 P0          | P1          ;
 MOV R1,#1   | LDR R1,[R0] ;
 STR R1,[R0] | LDR R3,[R2] ;
 MOV R3,#1   |             ;
 STR R3,[R2] |             ;
locations [z;]
exists (1:R1=1 /\\ 1:R3=0 \\/ ~(x=2))
`;

t.test('a test with comments, locations and a mixed condition', async (t) => {
  const test = parseLitmus(MP, 'mp.litmus');
  t.equal(test.name, 'MP');
  t.equal(test.expected, 'allowed');
  t.equal(test.source, 'somewhere');
  t.same(test.locations, ['x', 'y', 'z']);
  t.equal(test.locationInit.get('z'), 7);
  t.equal(test.threads.length, 2);
  t.equal(test.threads[0]!.length, 4);
  t.same(test.registerInit[1]!.get(2), { kind: 'address', location: 'x' });
  t.equal(test.condition.quantifier, 'exists');
  t.equal(propositionText(test.condition.prop), '(1:r1=1 /\\ 1:r3=0) \\/ ~(x=2)', '/\\ binds tighter than \\/');
  const values = (r1: number, r3: number, x: number) => (o: Observable): number => (o.kind === 'loc' ? x : o.reg === 1 ? r1 : r3);
  t.ok(holds(test.condition.prop, values(1, 0, 2)));
  t.notOk(holds(test.condition.prop, values(1, 1, 2)));
  t.ok(holds(test.condition.prop, values(1, 1, 1)));
  t.same(test.extraObserved, [{ kind: 'loc', location: 'z' }]);
});

t.test('every catalogue test parses, names its ARM verdict and a source, and a Claim that exists', async (t) => {
  const files = readdirSync(LITMUS_DIR).filter((f) => f.endsWith('.litmus'));
  t.ok(files.length >= 30, `${files.length} tests`);
  for (const f of files) {
    const test = parseLitmus(readFileSync(join(LITMUS_DIR, f), 'utf8'), f);
    t.equal(`${test.name}.litmus`, f, 'the file is named after the test');
    t.ok(test.expected !== null && test.source !== null, `${test.name}: Expected and Source`);
    t.equal(checkClaim(test), null, `${test.name}: claim`);
    t.ok(buildLitmusProgram(test, 3).elf.length > 0);
  }
});

t.test('bad input is an error naming the file and line', async (t) => {
  const bad = (text: string, re: RegExp, what: string): void => {
    let error: unknown = null;
    try {
      parseLitmus(text, 'bad.litmus');
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof LitmusParseError, `${what}: a LitmusParseError`);
    t.match((error as Error | null)?.message ?? '', re, what);
  };
  const wrap = (code: string, cond = 'exists (0:R1=1)') => `ARM T\n{ 0:R0=x; }\n P0 ;\n ${code} ;\n${cond}\n`;
  bad(wrap('LDR R9,[R0]'), /bad\.litmus:4: P0: r9: tests may use r0-r8/, 'a harness register');
  bad(wrap('LDRB R1,[R0]'), /:4: P0: unsupported instruction 'ldrb'/, 'an instruction outside the dialect');
  bad(wrap('BNE LX'), /P0: branch to unknown label LX/, 'an unknown label');
  bad(wrap('LDR R1,[R0]', ''), /no final condition/, 'no condition');
  bad(wrap('LDR R1,[R0]', 'exists (0:R1=1 /\\'), /ends too early/, 'a truncated condition');
  bad(wrap('LDR R1,[R0]', 'exists (3:R1=1)'), /names thread 3, but the test has 1/, 'a thread that does not exist');
  bad('X86 T\n{ }\n P0 ;\nexists (x=1)\n', /:1: architecture 'X86' is not ARM/, 'another architecture');
  bad('ARM T\nExpected=Maybe\n{ }\n P0 ;\n MOV R1,#1 ;\nexists (x=1)\n', /Expected=Maybe: write Allowed or Forbidden/, 'a verdict that is neither');
  bad('ARM T\n(* open\n{ }\n', /unterminated \(\* comment/, 'an open comment');
});

t.test('A32 modified immediates', async (t) => {
  t.equal(modifiedImmediate(1), 1);
  t.equal(modifiedImmediate(0xff000000), (4 << 8) | 0xff);
  t.equal(modifiedImmediate(0x102), null);
});

t.test('the program keeps the test\'s instructions verbatim and its output decodes per run', async (t) => {
  const test = parseLitmus(MP, 'mp.litmus');
  const p = buildLitmusProgram(test, 5);
  const texts = p.listing.map((l) => l.text);
  const at = texts.indexOf('ldr r1, [r0, #0]');
  t.ok(at > 0, 'P1\'s first load');
  t.equal(texts[at + 1], 'ldr r3, [r2, #0]', 'directly followed by its second: nothing between the body\'s instructions');
  t.same(p.observedRegisters, [{ kind: 'reg', thread: 1, reg: 1 }, { kind: 'reg', thread: 1, reg: 3 }]);
  // 3 locations and 2 registers, 5 runs each.
  const out = new Uint8Array(p.outputBytes);
  const v = new DataView(out.buffer);
  v.setUint32((3 * 5 + 2) * 4, 9, true); // run 2's 1:r1
  const runs = decodeRuns(test, p, out)!;
  t.equal(runs[2]!.registers[0], 9);
  t.equal(decodeRuns(test, p, out.subarray(4)), null, 'a short output is refused');
});

t.test('verdicts: a forbidden outcome fails a column unless its strategy does not claim the test\'s case', async (t) => {
  const text = readFileSync(join(LITMUS_DIR, 'EX+store-window.litmus'), 'utf8');
  const test = parseLitmus(text, 'x');
  const p = buildLitmusProgram(test, 2);
  const run = (r1: number, r2: number, x: number) => ({ locations: new Map([['x', x]]), registers: [r1, r2] });
  t.same(p.observedRegisters.map((o) => (o.kind === 'reg' ? o.reg : -1)), [1, 2]);
  const column = (claimed: boolean): LitmusColumn => ({
    label: 'c', runArgs: [], sched: null, guarantees: guaranteesExcept(claimed ? {} : { 'store-diff': 'fail' }),
  });
  const clean = tallyRuns(test, [run(0, 0, 5), run(5, 0, 6)], p.observedRegisters, column(true), 0);
  t.equal(clean.verdict, 'ok');
  t.equal(clean.observation, 'Never');
  const seen = tallyRuns(test, [run(0, 0, 1), run(5, 0, 6)], p.observedRegisters, column(true), 0);
  t.equal(seen.verdict, 'forbidden-seen');
  t.equal(seen.positive, 1);
  t.equal(seen.observation, 'Sometimes');
  t.equal(tallyRuns(test, [run(0, 0, 1)], p.observedRegisters, column(false), 0).verdict, 'excused');
  t.equal(tallyRuns(test, [run(0, 0, 1)], p.observedRegisters, column(false), 0).observation, 'Always');
});
