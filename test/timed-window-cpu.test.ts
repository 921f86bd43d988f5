// bench/speed/timed-window-cpu finds the guest's timed section (BENCH start=)
// in its samples of the emulator's host threads: on a real run the two vCPU
// threads did CPU work inside it. Nothing here asserts on how much or how fast.

import { join } from 'node:path';
import t from 'tap';
import { CLI, ROOT } from '../bench/lib/peers.js';
import { measureWindow } from '../bench/speed/timed-window-cpu.js';

t.test('an mttcg run: both vCPU threads ran in the timed section the guest reported', async (t) => {
  const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
  const w = await measureWindow(process.execPath, [CLI, 'run', elf, '2', '6000'], 2);
  t.ok(w.windowMs > 0, 'the section has a length');
  t.equal(w.vcpuCpuMs.length, 2, 'two vCPU threads');
  t.ok(w.vcpuCpuMs.every((c) => c > 0), `each has CPU time in the section: ${w.vcpuCpuMs.join(', ')} ms`);
  t.ok(w.otherCpuMs >= 0);
  t.ok(w.overlap >= 0 && w.overlap <= 1);
});

t.test('a run without a BENCH start= is an error, not a figure', async (t) => {
  await t.rejects(measureWindow(process.execPath, ['-e', 'console.log("BENCH workload=x threads=1 ops=1 ns=5")'], 1),
    /no start=/);
});
