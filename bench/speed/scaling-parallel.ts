// Parallel scaling of a non-atomic workload: 1, 2 and 4 vCPUs under mttcg
// and qemu-arm in the same run. Reports throughput (work units per second of
// the guest's own timing) and the speedup over each emulator's 1-vCPU point.
//
//   node dist/bench/speed/scaling-parallel.js [--units N] [--repeat N] [--vcpus 1,2,4]

import { join } from 'node:path';
import { cpus } from 'node:os';
import { median, qemuVersion, ROOT, runUnderMttcg, runUnderQemu } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const units = Number(opt('units', '100000'));
const repeat = Number(opt('repeat', '3'));
const vcpus = opt('vcpus', '1,2,4').split(',').map(Number);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const haveQemu = qemuVersion() !== null;

console.log(`host: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); points above ${cpus().length} vCPUs are oversubscribed`);
console.log(`workload: parallel-compute, ${units} units per thread, median of ${repeat}`);
console.log('vcpus  mttcg units/s  speedup   qemu-arm units/s  speedup   mttcg/qemu');
const base: { m?: number; q?: number } = {};
for (const n of vcpus) {
  const args = [String(n), String(units)];
  const m = median(Array.from({ length: repeat }, () => { const r = runUnderMttcg(elf, args); return r.line.ops / (r.line.ns / 1e9); }));
  const q = haveQemu ? median(Array.from({ length: repeat }, () => { const r = runUnderQemu(elf, args); return r.line.ops / (r.line.ns / 1e9); })) : NaN;
  base.m ??= m;
  base.q ??= q;
  console.log(`${String(n).padStart(5)}  ${m.toFixed(0).padStart(14)}  ${(m / base.m).toFixed(2).padStart(6)}x   ${q.toFixed(0).padStart(16)}  ${(q / base.q!).toFixed(2).padStart(6)}x   ${(m / q).toFixed(3)}x`);
}
