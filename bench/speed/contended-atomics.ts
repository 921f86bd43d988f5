// Contended atomic add (issue 14: >= 0.5x qemu-arm at 2 threads under
// cmpxchg): bench/guest/atomic-add with one shared counter (every op hits
// the same line), 2 threads, LDREX/ADD/STREX retried until the STREX
// succeeds, under mttcg's cmpxchg strategy and under qemu-arm in the same
// session, over each run's contended window (bench.h: until the first thread
// finished its ops; the whole section's figures beside them). A point counts
// as contended only if the threads ran at once (the least busy one for most
// of the window: atomic-point.ts). The default
// size keeps the timed section (some 0.2-0.3 s under mttcg) far longer than
// a host time slice and than a JIT recompilation on a background thread, and
// each chunk (ops / 256 per thread) shorter than a time slice.
//
//   node dist/bench/speed/contended-atomics.js [--ops N] [--repeat N] [--strategy SPEC] [--realtime] [--no-gauge]
//
// A gauge on each core (bench/lib/core-gauge.ts; --no-gauge: none) says
// which runs fell in a stretch where the host slowed a core (it gets no
// samples under --realtime, whose emulators keep both cores).
//
// --realtime runs both emulators under SCHED_FIFO (lib/realtime.ts): on a
// host busy with other work the two vCPU threads then run side by side
// instead of taking turns, and the point can be contended at all.

import { join } from 'node:path';
import { parseStrategySpec } from '../../src/torture/strategy-spec.js';
import { checkRealtime, realtimeRequested, schedulingLine } from '../lib/realtime.js';
import { hostLine, median, textOption } from '../lib/figures.js';
import { qemuVersion, ROOT } from '../lib/peers.js';
import { CoreGauges, gaugedCores } from '../lib/core-gauge.js';
import { coreLine, counterLine, describe, measure, notContended } from './atomic-point.js';

const argv = process.argv.slice(2);
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();
const opt = (name: string, def: string): string => textOption(argv, name, def);
const ops = Number(opt('ops', '2000000'));
const repeat = Number(opt('repeat', '5'));
const spec = parseStrategySpec(opt('strategy', 'cmpxchg'));
const elf = join(ROOT, 'bench', 'guest', 'atomic-add.elf');
const args = ['2', String(ops), '1'];
const TARGET = 0.5;

console.log(hostLine());
console.log(schedulingLine());
console.log(`command: node dist/bench/speed/contended-atomics.js --ops ${ops} --repeat ${repeat} --strategy ${spec.text}${realtime ? ' --realtime' : ''}`);
console.log(`workload: atomic-add, 2 threads, ${ops} ops per thread, one shared counter`);
const cores = gaugedCores(argv);
const gauges = cores.length ? await CoreGauges.start(cores) : null;
const m = measure(elf, args, spec.runArgs, repeat);
const q = qemuVersion() ? measure(elf, args, null, repeat) : null;
const coresOf = (p: typeof m): string => {
  const line = coreLine(p, gauges, cores);
  return line ? `\n  ${line}` : '';
};
console.log(`mttcg ${spec.text.padEnd(10)} ${describe(m)}${coresOf(m)}`);
console.log(`  per op: ${counterLine(m, [/^atomic\./, /^slow/, /^flagged/, /^syscalls$/, /^futex/, /^stopTheWorld/])}`);
if (q) {
  console.log(`qemu-arm         ${describe(q)}${coresOf(q)}`);
  const ratio = median(m.opsPerSec) / median(q.opsPerSec);
  const sectionRatio = median(m.sectionOpsPerSec) / median(q.sectionOpsPerSec);
  console.log(`ratio mttcg/qemu-arm over the contended windows: ${ratio.toFixed(3)}x (over the whole sections ${sectionRatio.toFixed(3)}x); ` +
    `target >= ${TARGET}x: ${ratio >= TARGET ? 'met' : 'missed'}` +
    notContended({ mttcg: m, 'qemu-arm': q }));
} else {
  console.log('qemu-arm: not installed, no ratio');
}
await gauges?.stop();
