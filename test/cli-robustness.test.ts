// The command line as a careless or hostile user meets it (issue 13 items
// 8-11): usage errors are exit 2 with the reason (never 70 "internal error",
// never a hang); --env and --allow-dir take one value per option, commas
// included; an option of a strategy the run does not use is refused; the
// children of `mttcg torture` and `mttcg trace-diff` die with them; and
// trace-diff is bounded by --steps and --timeout and leaves no temporary files.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, guestElf, qemuAvailable, QEMU_MISSING, runMttcg } from '../harness/guest-runner.js';

const tmp = mkdtempSync(join(tmpdir(), 'mttcg-cli-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

t.test('usage errors: exit 2 with the reason, in bounded time', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--memory', '16.5'], /--memory must be a whole number/],
    [['--max-procs', '2.5'], /--max-procs must be a whole number/],
    [['--trace', '/nonexistent/dir/trace.log'], /--trace \/nonexistent\/dir\/trace\.log: cannot write it/],
    [['--stats-json', '/nonexistent/stats.json'], /--stats-json \/nonexistent\/stats\.json: cannot write it/],
    [['--dump-js', '/proc/mttcg-no-such-dir'], /--dump-js \/proc\/mttcg-no-such-dir: cannot create/],
    [['--env', 'NOEQUALS'], /--env NOEQUALS: expected NAME=VALUE/],
    [['--aie-stores', 'always'], /--aie-stores is an option of strategy aie, but this run uses cmpxchg/],
    [['--strategy', 'aie', '--tlbexcl-lock', 'page'], /--tlbexcl-lock is an option of strategy tlbexcl, but this run uses aie/],
  ];
  for (const [options, reason] of cases) {
    const r = runMttcg(guestElf('conf-args'), [], options, 30000);
    t.equal(r.status, 2, `${options.join(' ')}: exit 2`);
    t.match(r.stderr, reason, 'says why');
    t.notMatch(r.stderr, /internal error/);
  }
  const spec = spawnSync(process.execPath, [CLI, 'torture', '--strategy', 'cmpxchg:aie-stores=always', '--cases', 'atomic-add'], { encoding: 'utf8', timeout: 30000 });
  t.equal(spec.status, 2, 'a torture spec with another strategy\'s option: exit 2');
  t.match(spec.stderr, /--aie-stores is an option of strategy aie/);
});

t.test('--env and --allow-dir: one value per option, commas kept', async (t) => {
  const r = spawnSync(process.execPath, [CLI, 'run', '--clean-env', '--env', 'CONF_ARGS_VAR=x,y', guestElf('conf-args')], { encoding: 'utf8', timeout: 60000 });
  t.equal(r.status, 0);
  t.match(r.stdout, /^CONF_ARGS_VAR=x,y$/m, 'the value keeps its comma');
  const dir = join(tmp, 'a,b');
  mkdirSync(dir);
  writeFileSync(join(dir, 'probe'), 'hi');
  const probe = spawnSync(process.execPath, [CLI, 'run', '--allow-dir', dir, guestElf('conf-args')], { encoding: 'utf8', timeout: 60000 });
  t.equal(probe.status, 0, `a directory with a comma in its name is accepted: ${probe.stderr}`);
});

/** Child pids of `pid` (from /proc) running `mttcg run` or qemu-arm, now (not short-lived helpers). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const m = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${e}/status`, 'utf8'));
      const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (m && Number(m[1]) === pid && (argv.includes('run') || argv.includes('qemu-arm'))) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `mttcg ARGS`, waits until it has minKids emulator children, sends `signal`; returns its exit and those children. */
async function interruptWithChild(args: string[], signal: NodeJS.Signals, env: NodeJS.ProcessEnv = process.env, minKids = 1) {
  const parent = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  parent.stdout.resume();
  parent.stderr.resume();
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => parent.once('exit', (code, sig) => r({ code, signal: sig })));
  let kids: number[] = [];
  for (let i = 0; i < 600 && kids.length < minKids; i++) {
    await sleep(100);
    kids = childrenOf(parent.pid!);
  }
  // Let the children settle into their run (a child that writes while its parent is gone may end by EPIPE instead).
  await sleep(3000);
  parent.kill(signal);
  const ended = await exit;
  // A tied child gets the signal at once and SIGKILL after 1.5 s; a watching one notices within 0.25 s
  // (allow 20 s: a loaded host may not schedule it for a while).
  for (let i = 0; i < 200 && kids.some(alive); i++) await sleep(100);
  return { ended, kids };
}

// 4 x 1,000,000 increments under stop-the-world: a cell that runs for minutes
// (about 2 here), far longer than the 20 s a killed parent's child may take to go.
const longTorture = ['torture', '--strategy', 'stop-the-world', '--cases', 'atomic-add', '--threads', '4', '--no-qemu', '--full', '--scale', '10', '--timeout', '600'];

t.test('SIGTERM to mttcg torture: its mttcg run child dies too', async (t) => {
  const { ended, kids } = await interruptWithChild(longTorture, 'SIGTERM');
  t.ok(kids.length > 0, `torture had a child (${kids.join(', ')})`);
  t.equal(ended.code, 143, `torture ended with 128 + SIGTERM (${JSON.stringify(ended)})`);
  t.same(kids.filter(alive), [], 'no child outlived it');
});

t.test('SIGKILL to mttcg torture: the orphaned mttcg run notices and stops', async (t) => {
  const { ended, kids } = await interruptWithChild(longTorture, 'SIGKILL');
  t.ok(kids.length > 0, 'torture had a child');
  t.equal(ended.signal, 'SIGKILL');
  t.same(kids.filter(alive), [], 'the child stopped by itself');
});

t.test('trace-diff is bounded and cleans up', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  const own = join(tmp, 'trace-tmp');
  mkdirSync(own);
  const env = { ...process.env, TMPDIR: own };
  const spin = guestElf('err-spin'); // never ends
  const steps = spawnSync(process.execPath, [CLI, 'trace-diff', '--steps', '200', spin], { encoding: 'utf8', timeout: 120000, env });
  t.not(steps.signal, 'SIGTERM', 'finished without being killed by the test');
  t.match(steps.stdout, /qemu-arm: 200 steps \(stopped at --steps\), mttcg: 200 steps \(stopped at --steps\)/);
  t.same(readdirSync(own), [], 'its temporary logs are gone');
  const timed = spawnSync(process.execPath, [CLI, 'trace-diff', '--timeout', '2', spin], { encoding: 'utf8', timeout: 120000, env });
  t.match(timed.stdout, /stopped by --timeout/, 'a run without --steps stops at --timeout');
  t.same(readdirSync(own), [], 'no logs left');
  const { ended, kids } = await interruptWithChild(['trace-diff', spin], 'SIGTERM', env, 2);
  t.ok(kids.length >= 2, 'trace-diff ran both emulators');
  t.equal(ended.code, 143);
  t.same(kids.filter(alive), [], 'neither outlived it');
  t.same(readdirSync(own), [], 'and the logs were removed on the way out');
});
