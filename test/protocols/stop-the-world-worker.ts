// A worker (vCPU) of the stop-the-world protocol tests. No guest code: a
// "TB" is a stretch between two TB-boundary calls (boundary() serves park and
// flush requests, as the cpu loop does), marked by this slot's IN_TB flag.
//
// Roles:
//   tb-loop  runs `count` TBs; from inside some of them (as a STREX helper
//            would) it starts an exclusive section whose fn checks that no
//            other vCPU is inside a TB. Inside its own TBs it checks that no
//            other vCPU's fn is running. Then it runs plain TBs until every
//            initiator is done.
//   hot-initiator  the same, starting a section from every TB.
//   bystander      only runs TBs (parking for every section) until every
//            initiator is done. Both sides use sequentially
//            consistent flags, so any overlap is seen by at least one side.
//   sleeper  blocks in a futex-like Atomics.wait between enterBlocking(true)
//            and leaveBlocking(), then runs one TB.
//   waker    runs `count` sections while the sleeper is blocked, and wakes it
//            from inside the last one, which then waits until the sleeper has
//            parked (or, wrongly, has come back) before it ends.

import { VcpuState } from '../../src/emulator/exec/vcpu-table.js';
import { SeededRandom } from '../../harness/seeded-random.js';
import { HarnessVcpu } from '../../harness/vcpu-harness.js';
import { serveWorker } from '../../harness/worker-pool.js';
import { IN_TB_QUEUED, Probe, type ProtocolWorkerData, spinUntil, startBarrier } from './protocol-probe.js';

export interface StopTheWorldResult {
  /** Sections this vCPU started and whose fn ran. */
  readonly sections: number;
  /** Times this vCPU, inside a TB, saw another vCPU's fn running. */
  readonly sawSectionInTb: number;
  /** Times this vCPU's fn saw another vCPU inside a TB. */
  readonly sawOtherInTb: number;
  /** Times this vCPU's fn found another fn already running. */
  readonly overlappingSections: number;
  readonly parks: number;
  /** sleeper: ACTIVE right after leaveBlocking returned (must be 0). */
  readonly activeAfterLeave: number;
  /** waker: sections completed while the sleeper was blocked. */
  readonly sectionsWhileBlocked: number;
  /** waker: the sleeper parked (true) or came back (false) while the waking section still ran. */
  readonly sleeperParkedInSection: boolean | null;
}

let sink = 0;
function busy(iterations: number): void {
  for (let i = 0; i < iterations; i++) sink = (sink * 31 + i) | 0;
}

function run(d: ProtocolWorkerData): StopTheWorldResult {
  const v = new HarnessVcpu(d.buffers, d.slot);
  const probe = new Int32Array(d.probe);
  const rnd = new SeededRandom(d.seed);
  const me = d.slot + 1;
  const flag = Probe.IN_TB + d.slot;
  const others = d.slots.filter((s) => s !== d.slot);
  const r = {
    sections: 0, sawSectionInTb: 0, sawOtherInTb: 0, overlappingSections: 0, parks: 0,
    activeAfterLeave: 0, sectionsWhileBlocked: 0, sleeperParkedInSection: null as boolean | null,
  };
  const boundary = (): void => v.boundary();

  /** The body of a section: claims ACTIVE, looks at every other vCPU's flag twice. */
  const checkedSection = (middle: () => void): void => {
    if (Atomics.compareExchange(probe, Probe.ACTIVE, 0, me) !== 0) r.overlappingSections++;
    const look = (): void => {
      for (const s of others) if (Atomics.load(probe, Probe.IN_TB + s) === 1) r.sawOtherInTb++;
    };
    look();
    middle();
    look();
    Atomics.compareExchange(probe, Probe.ACTIVE, me, 0);
    r.sections++;
  };

  /** One TB: boundary, then a body that watches ACTIVE, maybe starting a section from inside. */
  const tb = (sectionOdds: number): void => {
    boundary();
    Atomics.store(probe, flag, 1);
    for (let k = 0; k < 4; k++) {
      const owner = Atomics.load(probe, Probe.ACTIVE);
      if (owner !== 0 && owner !== me) r.sawSectionInTb++;
      busy(rnd.below(50));
    }
    if (sectionOdds > 0 && rnd.below(sectionOdds) === 0) {
      // Queued for the lock, the initiator is parked inside its helper: quiescent.
      Atomics.store(probe, flag, IN_TB_QUEUED);
      v.control.stopTheWorld(() => checkedSection(() => busy(rnd.below(200))));
      Atomics.store(probe, flag, 1);
    }
    Atomics.store(probe, flag, 0);
  };

  v.start();
  try {
    startBarrier(probe, d.slots.length, boundary);
    if (d.role === 'tb-loop' || d.role === 'hot-initiator') {
      const odds = d.role === 'tb-loop' ? 6 : 1;
      for (let i = 0; i < d.count; i++) tb(odds);
      // Keep running TBs (serving park requests) until every initiator is
      // done, so that the others' sections always have someone to stop.
      Atomics.add(probe, Probe.FINISHED, 1);
      while (Atomics.load(probe, Probe.FINISHED) < d.initiators) tb(0);
    } else if (d.role === 'bystander') {
      while (Atomics.load(probe, Probe.FINISHED) < d.initiators) tb(0);
    } else if (d.role === 'sleeper') {
      tb(0);
      v.control.enterBlocking(true);
      Atomics.store(probe, Probe.SLEEPING, 1);
      Atomics.notify(probe, Probe.SLEEPING);
      // The futex wait: woken by the waker from inside a section.
      while (Atomics.load(probe, Probe.FUTEX) === 0) Atomics.wait(probe, Probe.FUTEX, 0);
      v.control.leaveBlocking();
      r.activeAfterLeave = Atomics.load(probe, Probe.ACTIVE);
      Atomics.store(probe, Probe.SLEEPER_BACK, 1);
      tb(0);
    } else if (d.role === 'waker') {
      spinUntil('the sleeper to block', () => Atomics.load(probe, Probe.SLEEPING) === 1, boundary);
      const sleeper = others[0]!;
      for (let i = 0; i < d.count; i++) {
        v.control.stopTheWorld(() => checkedSection(() => {
          if (v.table.state(sleeper) === VcpuState.BLOCKED) r.sectionsWhileBlocked++;
        }));
        boundary();
      }
      v.control.stopTheWorld(() => checkedSection(() => {
        Atomics.store(probe, Probe.FUTEX, 1);
        Atomics.notify(probe, Probe.FUTEX);
        spinUntil('the woken sleeper to park or come back',
          () => v.table.state(sleeper) === VcpuState.PARKED || Atomics.load(probe, Probe.SLEEPER_BACK) === 1);
        r.sleeperParkedInSection = Atomics.load(probe, Probe.SLEEPER_BACK) === 0;
      }));
    } else {
      throw new Error(`unknown role ${d.role}`);
    }
  } finally {
    v.release();
  }
  r.parks = v.control.parks;
  return r;
}

serveWorker(run);
