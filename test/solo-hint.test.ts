// The solo phase's hints (src/machine/solo-hint.ts; docs/translator.md
// "Start-up"): a run whose first thread moves to its worker at a syscall
// leaves a hint, the program's next run makes slot 0's worker before the
// move, a run that ends in the phase removes a hint it found, and the hint
// belongs to one program and one argv.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestElf, ROOT } from '../harness/guest-runner.js';
import { HintSlot, hintedWorkerCpuMs, hintsDir, LEAD_MS, programKey, spareCore } from '../src/machine/solo-hint.js';

const BIN = join(ROOT, 'bin', 'mttcg');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  /** Cold-trace marks of the main thread, without their times. */
  readonly marks: string[];
}

function run(args: readonly string[], hints: string, more: NodeJS.ProcessEnv = {}): Run {
  // A budget no loaded host uses up: the point is where the thread moves, not when.
  // And a hint used whatever the host's load (the suite's own runs load it).
  const env: NodeJS.ProcessEnv = {
    ...process.env, MTTCG_COLD_TRACE: '1', MTTCG_SOLO_HINTS: hints, MTTCG_SOLO_MS: '600000', MTTCG_SOLO_HINTS_LOAD: '1e9', ...more,
  };
  delete env.MTTCG_SOLO_WORKER_MS;
  delete env.MTTCG_SOLO;
  const r = spawnSync(BIN, ['run', ...args], { env, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  const marks = r.stderr.split('\n').flatMap((l) => {
    const m = /^mttcg-cold: [0-9.]+ main (.*?)(?: cpu=[0-9.]+)? tcpu=/.exec(l);
    return m ? [m[1]] : [];
  });
  return { status: r.status, stdout: r.stdout, marks };
}

const created = (r: Run): string => r.marks.find((m) => m.startsWith('first worker created')) ?? '';
const index = (r: Run, prefix: string): number => r.marks.findIndex((m) => m.startsWith(prefix));
const ref = (name: string): string => readFileSync(join(ROOT, 'torture-tests', 'guest', `${name}.ref`), 'utf8');
const hintFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []);

t.test('where the hints live', async (t) => {
  const saved = { own: process.env.MTTCG_SOLO_HINTS, cache: process.env.MTTCG_CODE_CACHE };
  t.teardown(() => {
    for (const [k, v] of [['MTTCG_SOLO_HINTS', saved.own], ['MTTCG_CODE_CACHE', saved.cache]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  delete process.env.MTTCG_SOLO_HINTS;
  delete process.env.MTTCG_CODE_CACHE;
  t.match(hintsDir(), /bundle[/\\]v8-cache[/\\]solo-hints$/, 'beside the code cache by default');
  process.env.MTTCG_CODE_CACHE = '/some/cache';
  t.equal(hintsDir(), join('/some/cache', 'solo-hints'), 'in $MTTCG_CODE_CACHE');
  process.env.MTTCG_CODE_CACHE = 'off';
  t.equal(hintsDir(), null, 'none with the code cache off');
  process.env.MTTCG_SOLO_HINTS = '/my/hints';
  t.equal(hintsDir(), '/my/hints', 'MTTCG_SOLO_HINTS names the directory');
  process.env.MTTCG_SOLO_HINTS = 'off';
  t.equal(hintsDir(), null, 'MTTCG_SOLO_HINTS=off');
});

t.test('a hint belongs to one ELF, as it is, and one argv', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-hint-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const saved = process.env.MTTCG_SOLO_HINTS;
  process.env.MTTCG_SOLO_HINTS = join(dir, 'hints');
  t.teardown(() => (saved === undefined ? delete process.env.MTTCG_SOLO_HINTS : (process.env.MTTCG_SOLO_HINTS = saved)));
  const elf = join(dir, 'prog.elf');
  copyFileSync(guestElf('conf-args'), elf);
  const a = { exePath: elf, argv: ['prog', 'a'] };
  const slot = HintSlot.of(a)!;
  t.equal(slot.read(), null, 'none at first');
  slot.write({ moveCpuMs: 71.26, why: 'syscall 120' });
  t.same(HintSlot.of(a)!.read(), { moveCpuMs: 71.3, why: 'syscall 120' }, 'read back by the next run');
  t.equal(HintSlot.of({ exePath: elf, argv: ['prog', 'b'] })!.read(), null, 'another argv has none');
  t.not(programKey(a), programKey({ exePath: elf, argv: ['prog', 'b'] }), 'argv is in the key');
  utimesSync(elf, new Date(2000, 1, 1), new Date(2000, 1, 1));
  t.equal(HintSlot.of(a)!.read(), null, 'a changed ELF (its time) has none');
  t.equal(programKey({ exePath: join(dir, 'missing.elf'), argv: [] }), null, 'no key for an ELF that is not there');
  // Another program's hint under the same file name (a hash collision) is not taken.
  const slot2 = HintSlot.of(a)!;
  slot2.write({ moveCpuMs: 10, why: 'syscall 120' });
  const [file] = hintFiles(join(dir, 'hints')).filter((f) => readFileSync(join(dir, 'hints', f), 'utf8').includes('"moveCpuMs":10'));
  const body = JSON.parse(readFileSync(join(dir, 'hints', file), 'utf8')) as { key: string };
  writeFileSync(join(dir, 'hints', file), JSON.stringify({ ...body, key: body.key.replace('prog', 'other') }));
  t.equal(HintSlot.of(a)!.read(), null, 'a file whose key is another program\'s is ignored');
  writeFileSync(join(dir, 'hints', file), '{ not json');
  t.equal(HintSlot.of(a)!.read(), null, 'an unreadable hint is none');
  slot2.remove();
  t.equal(HintSlot.of(a)!.read(), null, 'removed');
  t.equal(hintedWorkerCpuMs({ moveCpuMs: LEAD_MS + 20, why: '' }), 20, 'the worker is made LEAD_MS before the move');
  t.equal(hintedWorkerCpuMs({ moveCpuMs: 3, why: '' }), 0, 'or at once');
});

t.test('a program that moves at its clone: the next run makes the worker before the move', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-hint-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // A run without hints first, so that the hinted runs both find V8's code cache: the first run after a build
  // writes the cache, takes about twice the CPU before its move, and its hint then lies more than LEAD_MS after
  // the next run's move, which then reaches the move before the hinted worker (seen in the fast suite right after
  // a build; the next run's own hint corrects it, solo-phase.ts learn()).
  t.equal(run([guestElf('conf-threads')], 'off').status, 0, 'a run to warm the code cache');
  const first = run([guestElf('conf-threads')], dir);
  t.equal(first.status, 0, 'exit 0');
  t.equal(created(first), 'first worker created (hand-over: syscall 120)', 'no hint: the worker is made at the move');
  t.equal(hintFiles(dir).length, 1, 'the move left a hint');
  const second = run([guestElf('conf-threads')], dir);
  t.equal(second.status, 0, 'exit 0');
  t.match(created(second), /^first worker created \(solo phase (start|at \d+ ms CPU); hint: the last run moved at syscall 120 after [0-9.]+ ms\)$/,
    'the hint made the worker');
  t.ok(index(second, 'first worker created') < index(second, 'solo: handed over (syscall 120)'), 'before the thread moved');
  t.equal(second.stdout, ref('conf-threads'), 'the output is qemu-arm\'s (.ref)');
  const off = run([guestElf('conf-threads')], 'off');
  t.equal(created(off), 'first worker created (hand-over: syscall 120)', 'MTTCG_SOLO_HINTS=off: no hint read');
  const busy = run([guestElf('conf-threads')], dir, { MTTCG_SOLO_HINTS_LOAD: '0' });
  t.ok(busy.marks.some((m) => /^solo: hint not used \(load [0-9.]+, \d+ cores\)$/.test(m)), 'a busy host: the hint is not used');
  t.equal(created(busy), 'first worker created (hand-over: syscall 120)', 'and the worker is made at the move');
});

t.test('a core to spare: the load average below the cores, or MTTCG_SOLO_HINTS_LOAD', async (t) => {
  const saved = process.env.MTTCG_SOLO_HINTS_LOAD;
  t.teardown(() => (saved === undefined ? delete process.env.MTTCG_SOLO_HINTS_LOAD : (process.env.MTTCG_SOLO_HINTS_LOAD = saved)));
  delete process.env.MTTCG_SOLO_HINTS_LOAD;
  t.ok(spareCore(0.9, 2), 'load 0.9 on 2 cores');
  t.notOk(spareCore(2, 2), 'not load 2 on 2 cores');
  t.notOk(spareCore(7.5, 2), 'nor 7.5');
  process.env.MTTCG_SOLO_HINTS_LOAD = '8';
  t.ok(spareCore(7.5, 2), 'below MTTCG_SOLO_HINTS_LOAD=8');
});

t.test('a hinted program that ends in the phase: the hint goes, and the run after makes no worker', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-hint-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const args = [guestElf('conf-args'), 'x'];
  // A stale hint, as if the last run had moved at once.
  process.env.MTTCG_SOLO_HINTS = dir;
  HintSlot.of({ exePath: args[0], argv: args })!.write({ moveCpuMs: 0, why: 'syscall 120' });
  delete process.env.MTTCG_SOLO_HINTS;
  t.equal(hintFiles(dir).length, 1, 'the planted hint');
  const hinted = run(args, dir);
  t.equal(hinted.status, 0, 'exit 0');
  t.match(created(hinted), /^first worker created \(solo phase start; hint: /, 'the hint made a worker at the phase start');
  t.ok(hinted.marks.includes('solo: guest ended'), 'but the guest ended in the phase');
  t.same(hintFiles(dir), [], 'so the hint is removed');
  const after = run(args, dir);
  t.equal(created(after), '', 'and the next run makes no worker');
  t.same(hintFiles(dir), [], 'nor a hint');
  t.equal(after.stdout, hinted.stdout, 'the same output');
});
