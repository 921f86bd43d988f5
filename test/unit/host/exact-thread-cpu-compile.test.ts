// host/exact-thread-cpu.ts: V8 optimising the clock's reader is not the
// guest's CPU. In a vCPU worker V8 compiles on the running thread
// (host/v8-compile-mode.ts), at a call, before the called function's first
// statement; the reader's spin loops make it hot within tens of reads, and
// its TurboFan compile (8-13 ms here) once fell before the read took the
// call's time, so the section ending at that read was that much too long
// (a probed run's 36th read, reports/measurements/speed.md, Session 10).
// Since session 16 a read no longer spins to the next tick (the kernel
// updates the count at getrusage), so the reader gets hot by its calls
// alone: a child Node with --no-concurrent-recompilation times 1500 sections
// of 0.3 ms of spinning between two reads (150 sections of 2 ms before);
// no section may come out more than 3 ms
// longer than its wall time less its waits for a core (the clock's known
// residue, steal it cannot see, makes sections short, never long).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const clock = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'host', 'exact-thread-cpu.js');
const haveSchedstat = (() => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) > 0;
  } catch {
    return false;
  }
})();

const child = `
import { exactThreadCpuNs } from ${JSON.stringify(clock)};
import { readFileSync } from 'node:fs';
const wait = () => BigInt(readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\\s+/)[1]);
let sink = 0;
const spin = (ms) => { const e = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6)); while (process.hrtime.bigint() < e) sink = (sink * 31 + 7) | 0; };
const errors = [];
for (let i = 0; i < 1500; i++) {
  const a = exactThreadCpuNs();
  // Everything between the reads is inside the wall time, the wait reads too (V8 optimises them as well).
  const s = process.hrtime.bigint();
  const w1 = wait();
  spin(0.3);
  const w2 = wait();
  const wall = process.hrtime.bigint() - s;
  const b = exactThreadCpuNs();
  errors.push(Number(b - a - (wall - (w2 - w1))) / 1e6);
}
process.stdout.write('ERRORS ' + JSON.stringify(errors) + '\\n');
`;

t.test('the reader\'s own optimisation is hidden from the section it ends', { skip: !haveSchedstat && 'no schedstat' }, (t) => {
  // Two children at most: the compile falls into some section of every child, so a reader that counts
  // it fails both; a single disturbance of the host (seen once in 10 children at load 13) fails one.
  const longest: number[] = [];
  for (let run = 0; run < 2 && !longest.some((x) => x < 3); run++) {
    const r = spawnSync(process.execPath, ['--no-concurrent-recompilation', '--trace-opt', '--input-type=module', '-e', child], { encoding: 'utf8', timeout: 120_000 });
    t.equal(r.status, 0, r.stderr);
    t.match(r.stdout, /completed compiling .*<JSFunction exact(Since|ThreadCpuNs) /, 'V8 optimised the reader during the run (else this checks nothing)');
    const line = r.stdout.split('\n').find((l) => l.startsWith('ERRORS '));
    const errors = JSON.parse(line!.slice(7)) as number[];
    t.equal(errors.length, 1500);
    longest.push(Math.max(...errors));
  }
  t.ok(longest.some((x) => x < 3), `the longest section less its wall time and waits, per child: ${longest.map((x) => x.toFixed(2)).join(', ')} ms (the reader's compile counted: +8 ms or more)`);
  t.end();
});
