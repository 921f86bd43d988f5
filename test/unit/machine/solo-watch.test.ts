// The solo phase's budget (src/machine/solo-watch.ts): slot 0's worker asks
// for the hand-over once the main thread has used its CPU budget or the
// wall-clock limit has passed, never after the phase is over, and stops
// watching when it ends. Run here on one thread: the watch returns at once
// in every case below (or after a few ms of polling), so a broken one fails
// or hangs the test.

import t from 'tap';
import { createSoloWatch, keepSoloBudget, soloOver, soloStarted } from '../../../src/machine/solo-watch.js';
import { REQ_HANDOVER, VcpuTable } from '../../../src/emulator/exec/vcpu-table.js';
import { Tlb } from '../../../src/emulator/softmmu/tlb.js';

const pendingOf = (table: VcpuTable, slot: number): number => {
  const control = table.control(slot, new Tlb());
  return Atomics.load(control.pending, control.pendingIndex);
};

/** Burns this thread's CPU for about ms. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* CPU time for the budget */ }
}

t.test('a used CPU budget asks slot 0 to hand over', async (t) => {
  const table = new VcpuTable(VcpuTable.create());
  const watch = createSoloWatch();
  soloStarted(watch, 5, 60_000); // 5 ms of this thread's CPU, a wall limit far off
  spin(40);
  keepSoloBudget(watch, table.buffer, 0);
  t.equal(pendingOf(table, 0) & REQ_HANDOVER, REQ_HANDOVER, 'REQ_HANDOVER requested');
  t.equal(pendingOf(table, 1), 0, 'no other slot asked');
});

t.test('the wall-clock limit asks too', async (t) => {
  const table = new VcpuTable(VcpuTable.create());
  const watch = createSoloWatch();
  soloStarted(watch, 60_000, 0);
  keepSoloBudget(watch, table.buffer, 0);
  t.equal(pendingOf(table, 0) & REQ_HANDOVER, REQ_HANDOVER, 'REQ_HANDOVER requested');
});

t.test('a phase that is over asks nothing, started or not', async (t) => {
  for (const started of [true, false]) {
    const table = new VcpuTable(VcpuTable.create());
    const watch = createSoloWatch();
    if (started) soloStarted(watch, 0, 0);
    soloOver(watch);
    keepSoloBudget(watch, table.buffer, 0);
    t.equal(pendingOf(table, 0), 0, `no request (${started ? 'after its start' : 'never started'})`);
  }
});
