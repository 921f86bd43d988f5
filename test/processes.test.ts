// Processes and pipes (issue 22): the programs of torture-tests/process
// give qemu-arm's stdout and exit status under mttcg, and a program writing
// into a pipe whose reader is gone ends with SIGPIPE (status 141, issue 13
// item 3) as under qemu-arm.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { CLI, qemuAvailable, QEMU_MISSING, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

const DIR = join(ROOT, 'torture-tests', 'process');
const elf = (name: string): string => join(DIR, `${name}.elf`);

const PROGRAMS: { name: string; args?: string[]; status: number }[] = [
  { name: 'proc-pipes', status: 0 },
  { name: 'proc-fork', status: 0 },
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
