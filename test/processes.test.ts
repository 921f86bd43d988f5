// Processes and pipes (issue 22): the programs of torture-tests/process
// give qemu-arm's stdout and exit status under mttcg, and a program writing
// into a pipe whose reader is gone ends with SIGPIPE (status 141, issue 13
// item 3) as under qemu-arm.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import { busyboxPath, CLI, qemuAvailable, QEMU_MISSING, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

const DIR = join(ROOT, 'torture-tests', 'process');
const elf = (name: string): string => join(DIR, `${name}.elf`);

const PROGRAMS: { name: string; args?: string[]; status: number }[] = [
  { name: 'proc-pipes', status: 0 },
  { name: 'proc-fork', status: 0 },
  { name: 'proc-shared', status: 0 },
  // tkill/tgkill to another process's thread, ESRCH for a tid outside the named process; select/pselect6/ppoll's time left.
  { name: 'proc-tgkill', status: 0 },
];

t.test('process programs match qemu-arm', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  for (const p of PROGRAMS) {
    const q = runQemu(elf(p.name), p.args ?? []);
    const m = runMttcg(elf(p.name), p.args ?? []);
    t.equal(q.status, p.status, `${p.name}: qemu-arm exit status is the expected ${p.status}`);
    t.equal(m.status, q.status, `${p.name}: exit status ${m.status} matches qemu-arm`);
    t.equal(m.stdout, q.stdout, `${p.name}: stdout matches qemu-arm`);
  }
});

/** `CMD | head -1` with pipefail: the writer's status and what head printed. */
function intoHead(cmd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${cmd} | head -1`], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('a write into a pipe whose reader is gone raises SIGPIPE (exit 141)', async (t) => {
  const m = intoHead(`'${process.execPath}' '${CLI}' run '${elf('proc-yes')}'`);
  t.equal(m.stdout, 'line 0\n', 'head got the first line');
  t.equal(m.status, 141, 'mttcg ends with 128 + SIGPIPE');
  t.equal(m.stderr, '', 'silently, as a process killed by SIGPIPE');
  if (qemuAvailable()) t.equal(intoHead(`qemu-arm '${elf('proc-yes')}'`).status, 141, 'as under qemu-arm');
});

t.test('execve, posix_spawn, vfork + exec, #! scripts, O_CLOEXEC and exec errors (self-checked)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-exec-'));
  const self = elf('proc-exec');
  writeFileSync(join(dir, 'script.sh'), `#!${self} --script\nnot read\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'text.txt'), 'just text\n', { mode: 0o755 });
  writeFileSync(join(dir, 'noexec.txt'), 'just text\n', { mode: 0o644 });
  const r = runMttcg(self, [dir], ['--allow-dir', dir, '--allow-dir', DIR]);
  t.equal(r.status, 0, 'every check passed');
  t.match(r.stdout, /exec checks: 11 passed, 0 failed/);
  t.notMatch(r.stdout, /FAIL/);
});

t.test('a writable MAP_SHARED file mapping is refused clearly, never a silent copy (self-checked)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-shared-file-'));
  const r = runMttcg(elf('proc-shared-file'), [join(dir, 'scratch')], ['--allow-dir', dir]);
  rmSync(dir, { recursive: true, force: true });
  t.equal(r.status, 0);
  t.equal(r.stdout, [
    'MAP_SHARED read-write: No such device',
    "MAP_SHARED read-only: mapped, reads 'f'",
    'mprotect to read-write: Permission denied',
    'mprotect to read-exec: done',
    "MAP_PRIVATE read-write: mapped, reads 'f', wrote 'p'", ''].join('\n'), 'ENODEV from mmap, EACCES from mprotect to writable');
  t.equal((r.stderr.match(/writable MAP_SHARED file mappings are not supported/g) ?? []).length, 1, 'one warning says why');
});

t.test('the deadlock report and --trace name the process of each thread', async (t) => {
  const d = runMttcg(elf('proc-deadlock'), [], ['--deadlock-grace', '1'], 60000);
  t.equal(d.status, 125, 'deadlock status');
  const who = [...d.stderr.matchAll(/thread (\d+) of process (\d+) waits on futex/g)].map((m) => `${m[1]}/${m[2]}`);
  t.same(who.sort(), ['1000/1000', '1001/1001'], 'parent and child, each with its pid');
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-trace-'));
  const file = join(dir, 'trace.txt');
  const r = runMttcg(elf('proc-fork'), [], ['--trace', file]);
  const steps = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('PSR='));
  rmSync(dir, { recursive: true, force: true });
  t.equal(r.status, 0);
  t.ok(steps.every((l) => / usr32 pid=\d+ tid=\d+$/.test(l)), 'every step names its process and thread');
  const pids = new Set(steps.map((l) => / pid=(\d+)/.exec(l)![1]));
  t.ok(pids.size >= 5, `steps of ${pids.size} processes in the one file (none written over by another's)`);
});

t.test('forked and exec\'d images reuse the translations of the same bytes (exec/code-snapshots.ts)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-exec-tbs-'));
  const file = join(dir, 'stats.json');
  const benchDir = join(ROOT, 'bench', 'process');
  const r = runMttcg(join(benchDir, 'exec-start.elf'), ['10'], ['--allow-dir', benchDir, '--stats-json', file]);
  const stats = JSON.parse(readFileSync(file, 'utf8')) as { threads: { tid: number; tbsTranslated: number }[] };
  rmSync(dir, { recursive: true, force: true });
  t.equal(r.status, 0);
  const children = stats.threads.filter((x) => x.tid !== 1000).map((x) => x.tbsTranslated);
  t.equal(children.length, 10, 'a record per child (fork, then exec of the same program)');
  // The first image translated about 870 blocks; a child on a warm vCPU keeps them across fork and exec.
  const late = children.slice(-4);
  t.ok(late.every((n) => n < 50), `the last four children translated ${late.join(', ')} blocks (not the ~870 of a cold image)`);
});

t.test('fork-pipe, the multi-process bench workload: threads fork children that answer through pipes, all checked', async (t) => {
  const r = runMttcg(join(ROOT, 'bench', 'guest', 'fork-pipe.elf'), ['2', '8']);
  t.equal(r.status, 0, r.stderr);
  // 2 threads x (4 warm-up + 8 timed) children, every word and exit status back (the program's own check).
  t.match(r.stdout, /^BENCH workload=fork-pipe threads=2 ops=16 .*check=pass warmup=8 .* chunks=16 /m);
});

const BUSYBOX = busyboxPath();

t.test('busybox sh: a pipeline, $(...) and subshell statuses as under qemu-arm (more in test/acceptance/busybox.test.ts)', {
  skip: !BUSYBOX ? 'busybox-static:armel not fetched (sh scripts/fetch-busybox.sh)' : qemuAvailable() ? false : QEMU_MISSING,
}, async (t) => {
  const script = 'seq 1 500 | sort -r | md5sum; a=$(echo hi); echo $a; (exit 3); echo $?; x=$(exit 4); echo $?';
  const q = runQemu(BUSYBOX!, ['sh', '-c', script]);
  const statsFile = join(mkdtempSync(join(tmpdir(), 'mttcg-stats-')), 'stats.json');
  const m = runMttcg(BUSYBOX!, ['sh', '-c', script], ['--allow-dir', dirname(BUSYBOX!), '--stats-json', statsFile]);
  t.equal(m.status, q.status, 'exit status matches qemu-arm');
  t.equal(m.stdout, q.stdout, 'stdout matches qemu-arm');
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { perProcess: Record<string, { guestInsns: number }> };
  t.ok(Object.keys(stats.perProcess).length >= 4, '--stats has totals for each guest process');
});
