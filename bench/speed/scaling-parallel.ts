// Parallel scaling of independent work (issue 14: 1 -> 2 vCPU speedup >= 1.7x,
// with qemu-arm's in the same session beside it): bench/guest/parallel-compute
// at 1, 2 (and more) threads under mttcg and qemu-arm. Throughput is the work
// units of all threads per second of the guest's own timing; the speedup is
// each emulator's throughput over its own 1-thread point. The BENCH line's
// overlap evidence (chunks during which another thread progressed) says
// whether the threads really ran at the same time: a point where they took
// turns is not scaling data. The default size gives mttcg's 1-vCPU point a
// timed section of about 0.3 s on a quiet host: one JIT recompilation of the
// cpu loop (some 20-40 ms of a background thread) must not be a third of it.
//
//   node dist/bench/speed/scaling-parallel.js [--units N] [--repeat N] [--vcpus 1,2] [--realtime]
//
// --realtime: both emulators under SCHED_FIFO (lib/realtime.ts, contended-atomics.ts).

import { join } from 'node:path';
import { cpus } from 'node:os';
import { checkRealtime, realtimeRequested, schedulingLine } from '../lib/realtime.js';
import { hostLine, median, spread, textOption } from '../lib/figures.js';
import { qemuVersion, ROOT, runUnderMttcg, runUnderQemu, type PeerRun } from '../lib/peers.js';

const argv = process.argv.slice(2);
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();
const opt = (name: string, def: string): string => textOption(argv, name, def);
const units = Number(opt('units', '100000'));
const repeat = Number(opt('repeat', '5'));
const vcpus = opt('vcpus', '1,2').split(',').map(Number);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const haveQemu = qemuVersion() !== null;
const TARGET = 1.7;

interface Point { readonly rate: number; readonly overlap: number }
const point = (r: PeerRun): Point => ({
  rate: r.line.ops / (r.line.ns / 1e9),
  overlap: Number(r.line.fields.concurrent ?? 0) / Math.max(1, Number(r.line.fields.chunks ?? 1)),
});

console.log(hostLine());
console.log(schedulingLine());
console.log(`command: node dist/bench/speed/scaling-parallel.js --units ${units} --repeat ${repeat} --vcpus ${vcpus.join(',')}${realtime ? ' --realtime' : ''}`);
console.log(`host: ${cpus().length} cores; points above ${cpus().length} vCPUs are oversubscribed`);
console.log(`workload: parallel-compute, ${units} units per thread`);
const base = new Map<string, number>();
const speedups = new Map<string, number>();
for (const n of vcpus) {
  const args = [String(n), String(units)];
  for (const [peer, run] of [['mttcg', () => runUnderMttcg(elf, args)], ['qemu-arm', () => runUnderQemu(elf, args)]] as const) {
    if (peer === 'qemu-arm' && !haveQemu) continue;
    const pts = Array.from({ length: repeat }, () => point(run()));
    const rate = median(pts.map((p) => p.rate));
    if (!base.has(peer)) base.set(peer, rate);
    const speedup = rate / base.get(peer)!;
    if (n === 2) speedups.set(peer, speedup);
    const overlap = n > 1 ? `, overlap ${(100 * median(pts.map((p) => p.overlap))).toFixed(0)}% of chunks` : '';
    console.log(`${String(n).padStart(2)} vCPU ${peer.padEnd(8)} ${spread(pts.map((p) => p.rate), 'units/s', 0)}; speedup ${speedup.toFixed(2)}x${overlap}`);
  }
}
const m2 = speedups.get('mttcg');
if (m2 !== undefined) {
  console.log(`1 -> 2 vCPU speedup: mttcg ${m2.toFixed(2)}x, qemu-arm ${speedups.get('qemu-arm')?.toFixed(2) ?? '-'}x; target >= ${TARGET}x: ${m2 >= TARGET ? 'met' : 'missed'}`);
}
