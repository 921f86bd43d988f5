// The solo phase's warm worker (src/machine/solo-warm.ts; docs/translator.md
// "Start-up"): slot 0's worker translates the TBs the main thread translates,
// so that the thread, when it moves there, finds them made. --stats tells it
// in the first thread's record: tbsAhead (TBs the worker made ahead) and
// tbsAgain (TBs it made after the move that the solo phase had made too,
// which must drop to near zero for what is ahead), with qemu-arm's output.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestElf, ROOT } from '../harness/guest-runner.js';

const BIN = join(ROOT, 'bin', 'mttcg');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Cold-trace marks, `thread phase`, in order. */
  readonly marks: string[];
  /** The first thread's --stats record. */
  readonly first: Record<string, number>;
}

function run(dir: string, name: string, args: readonly string[], env: NodeJS.ProcessEnv): Run {
  const file = join(dir, `${name}.json`);
  const r = spawnSync(BIN, ['run', '--stats-json', file, ...args], {
    env: { ...process.env, MTTCG_COLD_TRACE: '1', ...env }, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20,
  });
  const marks = r.stderr.split('\n').flatMap((l) => {
    const m = /^mttcg-cold: [0-9.]+ (\S+) (.*?)(?: cpu=[0-9.]+)? tcpu=/.exec(l);
    return m ? [`${m[1]} ${m[2]}`] : [];
  });
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('mttcg-cold: ')).join('\n');
  let first: Record<string, number> = {};
  if (r.status === 0) first = (JSON.parse(readFileSync(file, 'utf8')) as { threads: Record<string, number>[] }).threads[0]!;
  return { status: r.status, stdout: r.stdout, stderr, marks, first };
}

const ref = (name: string): string => readFileSync(join(ROOT, 'torture-tests', 'guest', `${name}.ref`), 'utf8');
// A budget no loaded host uses up: the thread moves where the program says.
const LONG = '600000';
const STEADY = [join(ROOT, 'bench', 'guest', 'parallel-compute.elf'), '1', '2000'];

t.test('the steady bench\'s guest, moved at its clone, finds the blocks it ran often translated', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-warm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const warm = run(dir, 'warm', STEADY, { MTTCG_SOLO_MS: LONG });
  t.equal(warm.status, 0, `exit 0 (${warm.stderr.slice(-300)})`);
  t.match(warm.stdout, /^BENCH workload=parallel-compute .* check=pass/, 'its own check passed');
  t.ok(warm.marks.includes('main solo: handed over (syscall 120)'), 'handed over at the clone');
  const ahead = warm.first.tbsAhead!;
  const again = warm.first.tbsAgain!;
  t.ok(ahead >= 50, `TBs the phase ran often translated ahead (${ahead})`);
  // Without the warming the same counter counts what the move costs (so the check below can fail).
  const cold = run(dir, 'cold', STEADY, { MTTCG_SOLO_MS: LONG, MTTCG_WARM: '0' });
  t.equal(cold.status, 0);
  t.equal(cold.first.tbsAhead, 0, 'MTTCG_WARM=0: nothing ahead');
  t.ok(cold.first.tbsAgain! >= 30, `MTTCG_WARM=0: the worker translates them again (${cold.first.tbsAgain})`);
  t.ok(again * 3 <= cold.first.tbsAgain!, `with the warming, few (${again})`);
});

t.test('every TB of the phase ahead (MTTCG_WARM_MIN_RUNS=0): none translated again, as qemu-arm prints', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-warm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const all = { MTTCG_SOLO_MS: LONG, MTTCG_WARM_MIN_RUNS: '0' };
  const warm = run(dir, 'warm', [guestElf('conf-threads')], all);
  t.equal(warm.status, 0, `exit 0 (${warm.stderr.slice(-300)})`);
  t.equal(warm.stdout, ref('conf-threads'), 'qemu-arm\'s output (.ref)');
  t.ok(warm.first.tbsAhead! > 100, `the worker translated the main thread's TBs ahead (${warm.first.tbsAhead})`);
  t.equal(warm.first.tbsAgain, 0, 'and translated none of them again after the move');
  const cold = run(dir, 'cold', [guestElf('conf-threads')], { ...all, MTTCG_WARM: '0' });
  t.equal(cold.status, 0);
  t.ok(cold.first.tbsAgain! > 100, `MTTCG_WARM=0: the worker translates them again (${cold.first.tbsAgain})`);
  // The first thread's own path through the futexes and clones varies between runs: about, not exactly.
  // Slot 0's worker is made at the clone (solo-watch.ts), as the new thread's is: the two load together,
  // and whether the new thread has ended when the first joins it differs from run to run (20-45 TBs).
  const saved = cold.first.tbsTranslated! - warm.first.tbsTranslated!;
  t.ok(Math.abs(saved - cold.first.tbsAgain!) <= Math.max(20, cold.first.tbsAgain! / 4),
    `the translations the warming saved (${saved}) are those made again without it (${cold.first.tbsAgain})`);
  // A shorter threaded program (its threads also change code another thread runs) for the Thumb build and another strategy.
  for (const [name, args] of [
    ['thumb', [guestElf('conf-threads-mem.thumb'), '100']],
    ['tlbexcl', ['--strategy', 'tlbexcl', guestElf('conf-threads-mem'), '100']],
  ] as const) {
    const r = run(dir, name, args, all);
    t.equal(r.status, 0, `${name}: exit 0 (${r.stderr.slice(-300)})`);
    t.equal(r.stdout, ref('conf-threads-mem'), `${name}: qemu-arm's output (.ref; the Thumb build prints the same)`);
    t.ok(r.first.tbsAhead! > 100, `${name}: TBs translated ahead (${r.first.tbsAhead})`);
    t.equal(r.first.tbsAgain, 0, `${name}: none translated again`);
  }
});

t.test('a move at the budget goes on at once: the worker translates on demand', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-warm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = run(dir, 'budget', ['--clean-env', guestElf('conf-arith')], { MTTCG_SOLO_MS: '20' });
  t.equal(r.status, 0, `exit 0 (${r.stderr.slice(-300)})`);
  t.ok(r.marks.includes('main solo: handed over (time budget)'), 'handed over at the budget');
  t.notOk(r.marks.some((m) => m.includes(' warm: ')), 'no translation ahead');
  t.equal(r.first.tbsAhead, 0, 'nothing ahead');
  t.ok(r.first.tbsAgain! > 0, `what the thread reached again was translated again (${r.first.tbsAgain})`);
});
