// The TLB-shootdown protocol of exec/vcpu-table.ts between worker threads,
// without guest code: once flushOthersPage or flushTlbRange has returned in
// one vCPU, no other running vCPU still holds a TLB entry for the page that
// it filled before the flush was requested; a vCPU blocked in the kernel
// counts as acknowledged (the flush does not wait for it) and drops its
// entries in leaveBlocking, before it runs again. Flushes are page-granular:
// the runners' entries for another page survive them. Assertions are on counts.

import t from 'tap';
import { VcpuTable } from '../../src/emulator/exec/vcpu-table.js';
import { allocateSlots, createHarness } from '../../harness/vcpu-harness.js';
import { runWorkers } from '../../harness/worker-pool.js';
import { createProbe, type ProtocolWorkerData } from './protocol-probe.js';
import type { TlbShootdownResult } from './tlb-shootdown-worker.js';

const WORKER = new URL('./tlb-shootdown-worker.js', import.meta.url);
const GUARD_SECONDS = 90;

async function runRoles(roles: readonly { role: string; count: number }[], seed: number) {
  const buffers = createHarness('cmpxchg');
  const slots = allocateSlots(buffers, roles.length);
  const probe = createProbe();
  const initiators = roles.filter((r) => r.role === 'initiator').length;
  const data: ProtocolWorkerData[] = roles.map((r, i) => ({
    buffers, probe, slot: slots[i]!, slots, role: r.role, count: r.count, seed: seed + i, initiators,
  }));
  const results = await runWorkers<ProtocolWorkerData, TlbShootdownResult>(WORKER, data, GUARD_SECONDS);
  return { results, table: new VcpuTable(buffers.vcpus).counters() };
}

const SHAPES: readonly { name: string; runners: number; initiators: number; flushes: number }[] = [
  { name: '2 runners, 1 initiator', runners: 2, initiators: 1, flushes: 1000 },
  { name: '2 runners, 2 initiators at once', runners: 2, initiators: 2, flushes: 500 },
];

for (const [i, shape] of SHAPES.entries()) {
  t.test(`TLB shootdown: ${shape.name}`, async (t) => {
    const roles = [
      ...Array.from({ length: shape.runners }, () => ({ role: 'runner', count: 0 })),
      ...Array.from({ length: shape.initiators }, () => ({ role: 'initiator', count: shape.flushes })),
    ];
    const { results, table } = await runRoles(roles, 5100 + 10 * i);
    const runners = results.slice(0, shape.runners);
    const started = results.reduce((a, r) => a + r.flushesStarted, 0);
    // Initiators go on past their count until every runner has seen each case below (tlb-shootdown-worker.ts).
    t.ok(started >= shape.initiators * shape.flushes, `every flush returned (${started}, at least ${shape.initiators * shape.flushes})`);
    const requested = results.reduce((a, r) => a + r.flushesRequested, 0);
    t.equal(table.tlbFlushRequests, requested, `the table counted each flush that had other vCPUs to ask once (${requested} of ${started})`);
    t.equal(runners.reduce((a, r) => a + r.staleEntries, 0), 0, 'no runner ever held an entry a returned flush should have dropped');
    for (const [k, r] of runners.entries()) {
      t.ok(r.checksWithEntry > 0 && r.fills > 1, `runner ${k}: ${r.checksWithEntry} checks with the entry present, ${r.fills} fills`);
      t.ok(r.flushesServed > 0, `runner ${k}: served ${r.flushesServed} flushes`);
      t.ok(r.otherPageKept > 0, `runner ${k}: its entry for another page survived ${r.otherPageKept} served flushes`);
    }
    const blockedAcks = runners.reduce((a, r) => a + r.flushesWhileBlocked, 0);
    t.ok(blockedAcks > 0, `${blockedAcks} flushes returned while a runner was blocked (it flushed in leaveBlocking)`);
  });
}

t.test('TLB shootdown: a blocked vCPU counts as acknowledged and flushes in leaveBlocking', async (t) => {
  const flushes = 50;
  const { results } = await runRoles([{ role: 'sleeper', count: 0 }, { role: 'flusher', count: flushes }], 5900);
  const [sleeper, flusher] = results as [TlbShootdownResult, TlbShootdownResult];
  t.equal(flusher.flushesWhileBlocked, flushes, 'every flush returned while the other vCPU stayed blocked');
  t.equal(sleeper.presentBeforeLeave, true, 'the blocked vCPU still held its entry (the flush was deferred, not done for it)');
  t.equal(sleeper.presentAfterLeave, false, 'leaveBlocking dropped it');
  t.equal(sleeper.flushesServed, 1, 'with one flush, however many were requested meanwhile');
  t.equal(sleeper.staleEntries, 0, 'its check after waking found nothing stale');
});
