// The solo phase's watch (src/machine/solo-watch.ts), which the cpu loop
// ticks on the main thread: it asks the phase's slot to hand over once the
// thread has used its CPU budget or the wall-clock limit has passed, not
// before, and makes the first worker once, when the phase has used the CPU
// time or the part of the wall-clock limit set for it.

import t from 'tap';
import { SoloWatch, WORKER_AT } from '../../../src/machine/solo-watch.js';
import { REQ_HANDOVER, VcpuTable } from '../../../src/emulator/exec/vcpu-table.js';
import { Tlb } from '../../../src/emulator/softmmu/tlb.js';
import { threadCpu } from '../../../src/host/thread-cpu.js';

const pendingOf = (table: VcpuTable, slot: number): number => {
  const control = table.control(slot, new Tlb());
  return Atomics.load(control.pending, control.pendingIndex);
};

/** Burns this thread's CPU for about ms, ticking the watch as the cpu loop would. */
function spin(ms: number, tick: () => void): void {
  const end = performance.now() + ms;
  while (performance.now() < end) tick();
}

/** Ticks until this thread has used ms more of its CPU time (a loaded host gives it less than the wall time), 20 s at most. */
function spinCpu(ms: number, tick: () => void): void {
  const start = threadCpu()!.cpuNs;
  const end = performance.now() + 20_000;
  while (threadCpu()!.cpuNs - start < ms * 1e6 && performance.now() < end) spin(1, tick);
}

const FAR = 600_000;

t.test('a used CPU budget asks the slot to hand over, not before', async (t) => {
  const table = new VcpuTable(VcpuTable.create());
  const why: string[] = [];
  const watch = new SoloWatch({ cpuMs: 30, wallMs: FAR, workerCpuMs: FAR }, table.buffer, 1, (w) => why.push(w));
  spin(2, watch.tick);
  t.equal(pendingOf(table, 1), 0, 'nothing asked while the budget lasts');
  spinCpu(40, watch.tick);
  t.equal(pendingOf(table, 1) & REQ_HANDOVER, REQ_HANDOVER, 'REQ_HANDOVER requested');
  t.equal(pendingOf(table, 0), 0, 'no other slot asked');
  t.same(why, [], 'no worker made (its own limit is far off)');
});

t.test('the wall-clock limit asks too, and makes the worker first', async (t) => {
  const table = new VcpuTable(VcpuTable.create());
  const why: string[] = [];
  const wallMs = 200;
  // Taken before the watch's own start: no tick of the watch can have seen more wall time than now - before.
  const before = performance.now();
  const watch = new SoloWatch({ cpuMs: FAR, wallMs, workerCpuMs: FAR }, table.buffer, 0, (w) => why.push(w));
  spin(wallMs * WORKER_AT - 50, watch.tick);
  const elapsed = performance.now() - before;
  if (elapsed < wallMs * WORKER_AT) t.same(why, [], 'no worker before its part of the wall-clock limit');
  else t.comment(`not checked: a loaded host kept this thread from running for ${Math.round(elapsed - (wallMs * WORKER_AT - 50))} ms, past the worker's mark`);
  spin(wallMs, watch.tick);
  t.equal(pendingOf(table, 0) & REQ_HANDOVER, REQ_HANDOVER, 'REQ_HANDOVER requested');
  t.equal(why.length, 1, 'the worker made once');
  t.match(why[0], /^solo phase at \d+ ms wall$/, 'with its reason');
});

t.test('the worker is made once the phase has used its CPU time for it, once', async (t) => {
  const table = new VcpuTable(VcpuTable.create());
  const why: string[] = [];
  const watch = new SoloWatch({ cpuMs: FAR, wallMs: FAR, workerCpuMs: 20 }, table.buffer, 0, (w) => why.push(w));
  watch.tick();
  t.same(why, [], 'not at the start');
  spinCpu(30, watch.tick);
  t.equal(why.length, 1, 'made once');
  t.match(why[0], /^solo phase at \d+ ms CPU$/, 'with its reason');
  t.equal(pendingOf(table, 0), 0, 'no hand-over asked');
});
