// How an n-thread timed section's wall time splits (session 16): the guest's
// BENCH line gives the section (ns, the earliest start to the latest end) and
// each thread's CPU time in its own section (cpu=). With n threads on n cores
// of their own and equal work, the section would last as long as the busiest
// thread's CPU. It lasts longer by two factors, which the speedup by thread CPU
// (the threads' summed CPU) does not show:
//
//   - unequal CPU for equal work (the busiest thread's CPU over the least
//     busy one's): on this VM the host slows one core at a time, and a
//     thread on the slowed core ends the section late while the other has
//     finished (reports/measurements/speed.md, session 16);
//   - the section over its busiest thread's CPU: the time that thread was not
//     running guest work (waits for a core, the emulator's own work that its
//     CPU clock hides, a start later than the other thread's).

import type { BenchLine } from '../lib/peers.js';

export interface SectionSplit {
  /** The busiest thread's CPU over the least busy one's (1 for one thread). */
  readonly cpuMaxOverMin: number;
  /** The section's wall time over its busiest thread's CPU (NaN without every thread's CPU). */
  readonly wallOverBusiest: number;
}

/** The split of a BENCH line's section; NaN where a thread's CPU is missing (cpu=-). */
export function sectionSplit(line: BenchLine): SectionSplit {
  const cpus = (line.fields.cpu ?? '').split(':').map((x) => (x === '-' || x === '' ? NaN : Number(x)));
  if (cpus.length === 0 || cpus.some((c) => !Number.isFinite(c) || c <= 0)) return { cpuMaxOverMin: NaN, wallOverBusiest: NaN };
  const busiest = Math.max(...cpus);
  return { cpuMaxOverMin: busiest / Math.min(...cpus), wallOverBusiest: line.ns / busiest };
}
