// The solo phase (src/machine/solo-phase.ts; cold start, docs/translator.md
// "Start-up"): the first thread runs on the main thread and moves to its
// worker only when it must. A short program ends there without waiting for a
// worker; a program that makes a thread, reads a pipe or outlives the time
// budget moves mid-run and prints and exits as qemu-arm (the committed .ref
// files, or qemu-arm itself) and as with MTTCG_SOLO=0; --stats counts the
// solo phase's work in the thread's record; a worker that fails is reported
// when the thread needs it.

import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestElf, ROOT } from '../harness/guest-runner.js';

const BIN = join(ROOT, 'bin', 'mttcg');
const BUSYBOX = join(process.env.HOME ?? '/root', '.cache', 'mttcg-lab', 'busybox-static-armel', 'bin', 'busybox');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Cold-trace marks, `thread phase`. */
  readonly marks: string[];
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): Run {
  const all: NodeJS.ProcessEnv = { ...process.env, MTTCG_COLD_TRACE: '1', ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete all[k];
  const r = spawnSync(BIN, ['run', ...args], { env: all, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20, input });
  const marks = r.stderr.split('\n').flatMap((l) => {
    const m = /^mttcg-cold: [0-9.]+ (\S+) (.*?)(?: cpu=[0-9.]+)? tcpu=/.exec(l);
    return m ? [`${m[1]} ${m[2]}`] : [];
  });
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('mttcg-cold: ')).join('\n');
  return { status: r.status, stdout: r.stdout, stderr, marks };
}

const ref = (name: string): string => readFileSync(join(ROOT, 'torture-tests', 'guest', `${name}.ref`), 'utf8');
// Tests that look at where the thread moves set a budget no loaded host uses up (MTTCG_SOLO_MS, in CPU ms).
const handedOver = (r: Run): string => r.marks.find((m) => m.startsWith('main solo: handed over')) ?? '';

t.test('a short program ends in the solo phase: no thread reaches a worker', async (t) => {
  // A budget no loaded host uses up: the point is where the program ends.
  const r = run(['--clean-env', guestElf('conf-args'), 'a', 'b'], { MTTCG_SOLO_MS: '600000' });
  t.equal(r.status, 0, `exit 0 (${r.stderr.slice(-300)})`);
  t.ok(r.marks.includes('main solo: vCPU ready'), 'the main thread built the vCPU');
  t.ok(r.marks.includes('main solo: guest ended'), 'and the guest ended there');
  t.notOk(r.marks.some((m) => m.endsWith(' thread received')), 'no worker received the thread');
  t.notOk(r.marks.includes('main first thread handed over'), 'nothing was handed over');
  t.notOk(r.marks.some((m) => m.includes('first worker created') || m.startsWith('main first worker started')), 'no worker was made');
  t.notOk(r.marks.some((m) => m.endsWith(' worker modules evaluated')), 'no worker loaded');
  const off = run(['--clean-env', guestElf('conf-args'), 'a', 'b'], { MTTCG_SOLO: '0' });
  t.equal(r.stdout, off.stdout, 'the same output as with MTTCG_SOLO=0');
  t.notOk(off.marks.some((m) => m.startsWith('main solo:')), 'MTTCG_SOLO=0: no solo phase');
  t.ok(off.marks.includes('vcpu0 thread received'), 'MTTCG_SOLO=0: the worker runs the thread');
});

t.test('pthread_create moves the thread to its worker mid-run: the same output as qemu-arm', async (t) => {
  const r = run([guestElf('conf-threads')], { MTTCG_SOLO_MS: '600000' });
  t.equal(r.status, 0, `exit 0 (${r.stderr.slice(-300)})`);
  t.equal(handedOver(r), 'main solo: handed over (syscall 120)', 'handed over at clone');
  t.ok(r.marks.includes('vcpu0 thread received'), 'the worker took the thread');
  t.equal(r.stdout, ref('conf-threads'), 'qemu-arm\'s output (.ref)');
});

t.test('a blocking read of a pipe moves the thread; output and status as qemu-arm', { skip: existsSync(BUSYBOX) ? false : 'no busybox (scripts/fetch-busybox.sh)' }, async (t) => {
  const input = 'line one\nline two\n';
  const r = run([BUSYBOX, 'cat'], { MTTCG_SOLO_MS: '600000' }, input);
  t.equal(r.status, 0, `exit 0 (${r.stderr.slice(-300)})`);
  // busybox cat reads through sendfile64 (239), then read (3): either waits for the pipe.
  t.match(handedOver(r), /^main solo: handed over \(syscall (239|3)\)$/, 'handed over at the read of the pipe');
  t.equal(r.stdout, input, 'cat copies its input');
  const q = spawnSync('qemu-arm', [BUSYBOX, 'sh', '-c', 'cat; exit 3'], { encoding: 'utf8', input });
  if (q.error) return;
  const r3 = run([BUSYBOX, 'sh', '-c', 'cat; exit 3'], {}, input);
  t.equal(r3.status, q.status, `exit status ${q.status}, as qemu-arm`);
  t.equal(r3.stdout, q.stdout, 'output as qemu-arm');
});

t.test('the time budget moves a long loop mid-run; --stats counts both halves in one record', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-solo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stats = (file: string): { guestInsns: number; syscalls: number; tbExecs: number; threads: number } => {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { totals: Record<string, number>; threads: unknown[] };
    return { guestInsns: j.totals.guestInsns!, syscalls: j.totals.syscalls!, tbExecs: j.totals.tbExecs!, threads: j.threads.length };
  };
  // Interpreted only, a clean environment (the guest's stack must not depend on this test's variables):
  // the counts do not depend on where the thread ran.
  const args = (file: string): string[] => ['--clean-env', '--hot-threshold', '0', '--stats-json', file, guestElf('conf-arith')];
  const moved = run(args(join(dir, 'moved.json')), { MTTCG_SOLO_MS: '20' });
  t.equal(moved.status, 0, `exit 0 (${moved.stderr.slice(-300)})`);
  t.equal(handedOver(moved), 'main solo: handed over (time budget)', 'handed over when the budget was used');
  t.equal(moved.stdout, ref('conf-arith'), 'qemu-arm\'s output (.ref)');
  const off = run(args(join(dir, 'off.json')), { MTTCG_SOLO: '0' });
  const solo = run(args(join(dir, 'solo.json')), { MTTCG_SOLO_MS: '600000' });
  t.equal(solo.marks.includes('main solo: guest ended'), true, 'with a long budget it ends in the solo phase');
  t.equal(off.stdout, moved.stdout, 'MTTCG_SOLO=0 prints the same');
  const [m, o, s] = [stats(join(dir, 'moved.json')), stats(join(dir, 'off.json')), stats(join(dir, 'solo.json'))];
  t.same(m, o, 'moved mid-run: the counters of one thread, as without the solo phase');
  t.same(s, o, 'ended in the solo phase: the same counters');
});

t.test('--timeout caps the budget: a long guest is still stopped in time', async (t) => {
  const r = run(['--timeout', '0.5', guestElf('conf-compute')], { MTTCG_SOLO_MS: '600000' });
  t.equal(r.status, 124, `exit 124 (${r.stderr.slice(-300)})`);
  t.match(r.stderr, /timed out after 0\.5 s/, 'the timeout\'s report');
  t.equal(handedOver(r), 'main solo: handed over (time budget)', 'the solo phase handed the thread over first');
});

/** The index of the first mark that starts with `prefix`, -1 if none. */
const markAt = (r: Run, prefix: string): number => r.marks.findIndex((m) => m.startsWith(prefix));

t.test('the phase starts with no worker: pthread_create makes it at the move', async (t) => {
  // Without the hint an earlier run of the same program leaves (test/solo-hint.test.ts), which makes it earlier.
  const r = run([guestElf('conf-threads')], { MTTCG_SOLO_MS: '600000', MTTCG_SOLO_HINTS: 'off' });
  t.equal(r.status, 0, `exit 0 (${r.stderr.slice(-300)})`);
  t.equal(markAt(r, 'main first worker created'), markAt(r, 'main first worker created (hand-over: syscall 120)'), 'made for the hand-over at clone');
  t.ok(markAt(r, 'main solo: handed over') < markAt(r, 'main first worker created'), 'after the thread left the phase');
});

// err-spin: a counter in a loop, no syscall after libc's start, never ends. A run ended by --timeout:
// without the main thread's own check of the budget the loop would hold the main thread for ever, and
// spawnSync's limit (the status null) would end the test.
for (const threshold of ['0', '']) {
  const tier = threshold === '0' ? 'interpreted (--hot-threshold 0)' : 'in a region';
  t.test(`a loop without syscalls, ${tier}, is handed over at its budget; no worker at the phase's start`, async (t) => {
    const args = [...(threshold ? ['--hot-threshold', threshold] : []), '--timeout', '4', guestElf('err-spin')];
    const r = run(args, { MTTCG_SOLO_MS: '200' });
    t.equal(r.status, 124, `ended by --timeout (${r.stderr.slice(-300)})`);
    t.equal(handedOver(r), 'main solo: handed over (time budget)', 'handed over when the budget was used');
    const made = markAt(r, 'main first worker created');
    t.ok(made > markAt(r, 'main solo: vCPU ready'), 'no worker at the start: made during the phase');
    // At three quarters of a limit; at the move when the main thread got no core between two ticks meanwhile.
    t.match(r.marks[made], /^main first worker created \((solo phase at \d+ ms (CPU|wall)|hand-over: time budget)\)$/, 'late in the phase');
    t.ok(r.marks.includes('vcpu0 thread received'), 'and it took the thread');
  });
}

t.test('--timeout stops a loop without syscalls in the phase', async (t) => {
  const started = Date.now();
  const r = run(['--timeout', '1', guestElf('err-spin')], { MTTCG_SOLO_MS: '600000' });
  t.equal(r.status, 124, `exit 124 (${r.stderr.slice(-300)})`);
  t.match(r.stderr, /timed out after 1 s/, 'the timeout\'s report');
  t.equal(handedOver(r), 'main solo: handed over (time budget)', 'the phase ended at half of --timeout');
  t.ok(Date.now() - started < 30_000, 'in time');
});

t.test('a host signal reaches a guest looping in the phase, at the latest when the budget is used', async (t) => {
  const child = spawn(BIN, ['run', guestElf('err-spin')], {
    env: { ...process.env, MTTCG_COLD_TRACE: '1', MTTCG_SOLO_MS: '300' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && stderr.includes(' solo: vCPU ready ')) {
      sent = true;
      child.kill('SIGTERM');
    }
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(killer);
  t.ok(sent, 'SIGTERM sent once the phase ran');
  t.equal(status, 143, `the guest's default action: 128+SIGTERM (${stderr.slice(-300)})`);
  t.match(stderr, /main solo: handed over \(time budget\)/, 'delivered after the hand-over at the budget');
});

t.test('a worker that fails is reported when the thread needs it', async (t) => {
  const short = run([guestElf('conf-args')], { MTTCG_INJECT_FAULT: 'early-worker-crash', MTTCG_SOLO_MS: '600000' });
  t.equal(short.status, 0, 'a program that ends in the solo phase never needs it');
  const threaded = run([guestElf('conf-threads')], { MTTCG_INJECT_FAULT: 'early-worker-crash' });
  t.equal(threaded.status, 70, 'a threaded one: the crashed vCPU\'s status');
  t.match(threaded.stderr, /internal error in the vCPU of thread \d+: fault injected/, 'with the worker\'s error');
});
