// What happened inside a guest's timed section, from the records mttcg's
// section probe wrote at the section's two clock reads
// (MTTCG_SECTION_PROBE, src/machine/section-probe.ts): the growth of every
// counter between them. bench/speed/steady-counters.ts sets these beside the
// section's thread CPU run by run, to find the counter that moves with a slow
// run.

import type { SectionProbeRecord } from '../../src/machine/section-probe.js';

export interface SectionGrowth {
  readonly tid: number;
  /** Every numeric guest counter's growth (guestInsns, tbsTranslated, regionsCompiled, tlbFills, ...). */
  readonly guest: Record<string, number>;
  readonly gcCount: number;
  readonly gcMs: number;
  readonly migrations: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
  readonly minorFaults: number;
  readonly majorFaults: number;
  /** The core the vCPU thread was on at the start and at the end. */
  readonly cores: readonly [number, number];
  /** Time the vCPU thread waited for a core (schedstat, current at switches and ticks). */
  readonly waitMs: number;
  /** CPU of the process's other threads (main thread, V8's platform threads, other vCPUs). */
  readonly otherThreadsMs: number;
  /** Busy time of the cores the vCPU was not on at the section's end (every process; 10 ms ticks). */
  readonly otherCoresBusyMs: number;
}

export function isSectionProbeRecord(x: unknown): x is SectionProbeRecord {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'section-probe';
}

/** The probe's records from a file's or a stream's text (other lines are skipped). */
export function parseProbeRecords(text: string): SectionProbeRecord[] {
  const out: SectionProbeRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"kind":"section-probe"')) continue;
    const r: unknown = JSON.parse(line);
    if (isSectionProbeRecord(r)) out.push(r);
  }
  return out;
}

/**
 * Each guest thread's timed section: its last three clock reads, for every
 * thread that read it at least five times. bench.h reads the clock at the
 * start of the warm-up, at its contended window's note and at its end, then
 * the same in the timed section (since session 17 every thread notes once
 * per section, at the first chunk boundary where it sees another thread
 * finished or at its last chunk), so the timed section is its start read to
 * its end read, with the note inside.
 */
export function timedSections(records: readonly SectionProbeRecord[]): [SectionProbeRecord, SectionProbeRecord][] {
  const byTid = new Map<number, SectionProbeRecord[]>();
  for (const r of records) {
    const list = byTid.get(r.tid) ?? [];
    list.push(r);
    byTid.set(r.tid, list);
  }
  const out: [SectionProbeRecord, SectionProbeRecord][] = [];
  for (const list of byTid.values()) {
    if (list.length < 5) continue;
    list.sort((a, b) => a.read - b.read);
    out.push([list[list.length - 3]!, list[list.length - 1]!]);
  }
  return out;
}

/** The growth of every counter from `start` (a section's first read) to `end` (its last). */
export function sectionGrowth(start: SectionProbeRecord, end: SectionProbeRecord): SectionGrowth {
  if (start.tid !== end.tid) throw new Error(`section reads of two threads (${start.tid}, ${end.tid})`);
  const guest: Record<string, number> = {};
  for (const [k, v] of Object.entries(end.guest)) {
    const b = start.guest[k];
    if (typeof v === 'number' && typeof b === 'number' && k !== 'tid') guest[k] = v - b;
  }
  // The OS's counters: from the end of the first read's probe to the start of the last's.
  const a = start.osAfter ?? start.os;
  const e = end.os;
  if (a === null || e === null) throw new Error('the section probe has no OS counters (no /proc/thread-self)');
  const cpuOf = (r: SectionProbeRecord): Map<number, number> => new Map(r.threads.map((t) => [t.tid, t.runNs]));
  const before = cpuOf(start);
  let otherNs = 0;
  for (const [tid, ns] of cpuOf(end)) {
    if (tid !== e.hostTid) otherNs += ns - (before.get(tid) ?? 0);
  }
  let otherCoresMs = 0;
  end.coresBusyMs.forEach((ms, core) => {
    if (core !== e.core) otherCoresMs += ms - (start.coresBusyMs[core] ?? ms);
  });
  return {
    tid: end.tid,
    guest,
    gcCount: end.gc.count - start.gc.count,
    gcMs: (end.gc.costUs - start.gc.costUs) / 1000,
    migrations: e.migrations - a.migrations,
    voluntarySwitches: e.voluntarySwitches - a.voluntarySwitches,
    involuntarySwitches: e.involuntarySwitches - a.involuntarySwitches,
    minorFaults: e.minorFaults - a.minorFaults,
    majorFaults: e.majorFaults - a.majorFaults,
    cores: [a.core, e.core],
    waitMs: (e.waitNs - a.waitNs) / 1e6,
    otherThreadsMs: otherNs / 1e6,
    otherCoresBusyMs: otherCoresMs,
  };
}
