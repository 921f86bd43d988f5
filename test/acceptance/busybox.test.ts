// Debian's static armel busybox under mttcg (issue 22): its shell runs
// pipelines, $(...), subshell exit statuses, xargs and loops of commands with
// qemu-arm's output, execs an ARM ELF, and --max-procs stops a fork bomb.
// Each case starts several guest processes: minutes on a loaded 2-core
// machine, so these run with the acceptance repeats.

import { dirname, join } from 'node:path';
import t from 'tap';
import { busyboxPath, qemuAvailable, QEMU_MISSING, ROOT, runMttcg, runQemu } from '../../harness/guest-runner.js';

const BUSYBOX = busyboxPath();

const SHELL_CASES: [string, string][] = [
  ['a pipeline', 'seq 1 2000 | sort -r | md5sum'],
  ['command substitution', 'a=$(echo hi); echo $a; b=$(seq 1 3 | tr "\\n" ,); echo $b'],
  ['subshell exit statuses', '(exit 3); echo $?; (false); echo $?; x=$(exit 4); echo $?; sh -c "exit 5"; echo $?'],
  ['xargs', 'seq 1 7 | xargs echo n; echo a b c | xargs -n 1 echo item'],
  // tail tries lseek(SEEK_END) on its input: on a pipe that is ESPIPE (an mttcg host error before)
  ['tail and head on pipes', 'seq 1 50 | tail -n 3; seq 1 50 | head -n 7 | tail -n 1'],
  ['a loop of commands', 'for i in $(seq 1 15); do echo $i | cat; done | md5sum; i=0; while [ $i -lt 5 ]; do i=$((i+1)); expr $i \\* 3; done'],
];

t.test('busybox sh runs pipelines, $(...), subshells, xargs and loops as under qemu-arm', {
  skip: !BUSYBOX ? 'busybox-static:armel not fetched (sh scripts/fetch-busybox.sh)' : qemuAvailable() ? false : QEMU_MISSING,
}, async (t) => {
  const bb = BUSYBOX!;
  for (const [name, script] of SHELL_CASES) {
    const q = runQemu(bb, ['sh', '-c', script]);
    const m = runMttcg(bb, ['sh', '-c', script], ['--allow-dir', dirname(bb)]);
    t.equal(m.status, q.status, `${name}: exit status ${m.status} matches qemu-arm`);
    t.equal(m.stdout, q.stdout, `${name}: stdout matches qemu-arm`);
  }
  // qemu-arm cannot execve an ARM file without binfmt_misc: compare with the program run directly.
  const prog = join(ROOT, 'torture-tests', 'guest', 'conf-arith.elf');
  const direct = runQemu(prog);
  const m = runMttcg(bb, ['sh', '-c', `'${prog}'; echo status $?`], ['--allow-dir', dirname(bb), '--allow-dir', dirname(prog)]);
  t.equal(m.stdout, `${direct.stdout}status ${direct.status}\n`, 'the shell execs an ARM ELF and sees its status');
});

t.test('--max-procs turns a fork bomb into EAGAIN', { skip: !BUSYBOX ? 'busybox-static:armel not fetched' : false }, async (t) => {
  const bb = BUSYBOX!;
  const script = 'i=0; while [ $i -lt 12 ]; do sleep 5 & i=$((i+1)); done; echo spawned; kill $(jobs -p) 2>/dev/null; echo done';
  const r = runMttcg(bb, ['sh', '-c', script], ['--allow-dir', dirname(bb), '--max-procs', '6']);
  t.match(r.stderr, /can't fork|Resource temporarily unavailable|EAGAIN/i, 'the shell is told fork failed');
  t.notOk(r.status === null, 'the run ended');
});
