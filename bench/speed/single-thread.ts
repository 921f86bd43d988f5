// Single-thread translator throughput: guest MIPS under mttcg and qemu-arm in
// the same run, and their ratio. The guest times its own work section; the
// instruction count comes from mttcg --stats (qemu-arm runs the same ELF with
// the same arguments, so it executes the same instructions).
//
//   node dist/bench/speed/single-thread.js [--units N] [--repeat N]

import { join } from 'node:path';
import { median, qemuVersion, ROOT, runUnderMttcg, runUnderQemu } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const units = opt('units', 40000);
const repeat = opt('repeat', 3);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const args = ['1', String(units)];

const m = [];
const q = [];
let insns = 0;
let timedShare = 1;
for (let i = 0; i < repeat; i++) {
  const r = runUnderMttcg(elf, args);
  insns = r.guestInsns ?? 0;
  // The guest also runs an untimed warm-up (bench/guest/bench.h): only the
  // timed units' share of the work counts.
  timedShare = r.line.ops / (r.line.ops + Number(r.line.fields.warmup ?? 0));
  m.push(r.line.ns);
  if (qemuVersion()) q.push(runUnderQemu(elf, args).line.ns);
  process.stderr.write(`repeat ${i + 1}/${repeat} done\n`);
}
// Instructions of the timed section: total minus start-up (measured with a
// zero-unit run), times the timed units' share (the rest is the warm-up).
const base = runUnderMttcg(elf, ['1', '0']).guestInsns ?? 0;
const work = Math.round((insns - base) * timedShare);
const mMips = work / (median(m) / 1e3);
console.log(`workload: parallel-compute, 1 thread, ${units} units, ${work} guest instructions in the timed section`);
console.log(`mttcg:    ${(median(m) / 1e6).toFixed(1)} ms (median of ${repeat}), ${mMips.toFixed(1)} guest MIPS`);
if (q.length) {
  const qMips = work / (median(q) / 1e3);
  console.log(`qemu-arm: ${(median(q) / 1e6).toFixed(1)} ms (median of ${repeat}), ${qMips.toFixed(1)} guest MIPS (${qemuVersion()})`);
  console.log(`ratio mttcg/qemu-arm: ${(mMips / qMips).toFixed(3)}x`);
} else {
  console.log('qemu-arm: not installed, no ratio');
}
