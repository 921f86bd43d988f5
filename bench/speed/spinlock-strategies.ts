// A 2-vCPU LDREX/STREX spinlock under every strategy (issue 14: correct LL/SC
// costs little more than cmpxchg: tlbexcl and aie with stores=always within 2x
// of cmpxchg's throughput), beside qemu-arm in the same session, over each
// run's contended window (bench.h: until the first thread finished its
// acquisitions; the lock goes in streaks and the other thread then runs
// alone), the whole section's figures beside them (atomic-point.ts):
// bench/guest/spinlock ldrex, 2 threads (acquire with LDREX/STREX, DMB, two
// plain read-modify-writes on the lock's line, DMB, release by a plain
// store). For each strategy the counters per lock acquisition (of one more
// run, with --stats: the timed runs go without it, bench/lib/peers.ts) say
// where its cost goes (helpers, slow-path and flagged stores, TLB flushes,
// stop-the-world sections, futex waits); docs/translator.md reads them. The
// counters cover the whole run, warm-up included: a store the cold tier
// sends to its slow path before the loop's region is compiled counts too.
//
// The default section, 2 x 1,000,000 acquisitions (about 0.2 s under
// cmpxchg, 1-2 s under tlbexcl and aie), is long beside the few
// milliseconds of V8 compilation a vCPU worker may still do on its own
// thread inside it (a region recompiled at a path first taken there):
// 2 x 100,000 (about 25 ms) held 20-35 ms of such stalls
// (reports/measurements/speed.md). Every run is killed after --limit-s
// seconds (a spinning guest under --realtime can livelock).
//
//   node dist/bench/speed/spinlock-strategies.js [--ops N] [--repeat N] [--strategies SPEC,...] [--limit-s S] [--no-gauge]
//
// A gauge on each core (bench/lib/core-gauge.ts; --no-gauge: none) gives
// each run's slowest core, printed per point once every point has run (it
// gets no samples where the emulators run under SCHED_FIFO).

import { join } from 'node:path';
import { defaultSpecTexts, parseStrategySpec } from '../../src/torture/strategy-spec.js';
import { hostLine, median, textOption } from '../lib/figures.js';
import { qemuVersion, ROOT } from '../lib/peers.js';
import { CoreGauges, gaugedCores } from '../lib/core-gauge.js';
import { coreLine, counterLine, describe, measure, notContended, type AtomicPoint } from './atomic-point.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => textOption(argv, name, def);
const ops = Number(opt('ops', '1000000'));
const limitMs = 1000 * Number(opt('limit-s', '120'));
if (!(limitMs > 0)) throw new Error('--limit-s takes a positive number of seconds');
const repeat = Number(opt('repeat', '3'));
const specs = opt('strategies', defaultSpecTexts().join(',')).split(',').map(parseStrategySpec);
const elf = join(ROOT, 'bench', 'guest', 'spinlock.elf');
const args = ['2', String(ops), 'ldrex'];
const COUNTERS = [/^atomic\./, /^slowStores$/, /^flaggedStores$/, /^tlbPageFlushes$/, /^tlbFullFlushes$/, /^flushRequestsServed$/,
  /^parks$/, /^stopTheWorldSections$/, /^tlbFlushRequests$/, /^futexWaits$/, /^syscalls$/];

console.log(hostLine());
console.log(`command: node dist/bench/speed/spinlock-strategies.js --ops ${ops} --repeat ${repeat} --strategies ${specs.map((s) => s.text).join(',')} --limit-s ${limitMs / 1000}`);
console.log(`workload: spinlock ldrex, 2 threads, ${ops} acquisitions per thread`);
const cores = gaugedCores(argv);
const gauges = cores.length ? await CoreGauges.start(cores) : null;
const points = new Map<string, AtomicPoint>();
for (const spec of specs) {
  try {
    const p = measure(elf, args, spec.runArgs, repeat, limitMs);
    points.set(spec.text, p);
    console.log(`${spec.text.padEnd(28)} ${describe(p)}`);
    console.log(`${''.padEnd(28)} per acquisition: ${counterLine(p, COUNTERS)}`);
  } catch (e) {
    // `unsafe` may fail its own check or hang in glibc: a failed point is data, not a failed benchmark.
    console.log(`${spec.text.padEnd(28)} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}
if (qemuVersion()) {
  try {
    const q = measure(elf, args, null, repeat, limitMs);
    points.set('qemu-arm', q);
    console.log(`${'qemu-arm'.padEnd(28)} ${describe(q)}`);
  } catch (e) {
    console.log(`${'qemu-arm'.padEnd(28)} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}
if (gauges) {
  console.log('the cores during each run (a gauge per core; +10% or less counts as undisturbed):');
  for (const [name, p] of points) console.log(`  ${name.padEnd(28)} ${coreLine(p, gauges, cores)}`);
  await gauges.stop();
}
const cmpxchg = points.get('cmpxchg');
if (cmpxchg) {
  const base = median(cmpxchg.opsPerSec);
  const sectionBase = median(cmpxchg.sectionOpsPerSec);
  console.log('throughput relative to cmpxchg, over the contended windows (over the whole sections):');
  for (const [name, p] of points) {
    console.log(`  ${name.padEnd(28)} ${(median(p.opsPerSec) / base).toFixed(2)}x (${(median(p.sectionOpsPerSec) / sectionBase).toFixed(2)}x)`);
  }
  for (const name of ['tlbexcl', 'aie:aie-stores=always']) {
    const p = points.get(name);
    if (!p) continue;
    const r = median(p.opsPerSec) / base;
    const rs = median(p.sectionOpsPerSec) / sectionBase;
    console.log(`target ${name} within 2x of cmpxchg (>= 0.5x): ${r >= 0.5 ? 'met' : 'missed'} (${r.toFixed(3)}x over the windows; ` +
      `${rs.toFixed(3)}x over the sections)` + notContended({ [name]: p, cmpxchg }));
  }
}
