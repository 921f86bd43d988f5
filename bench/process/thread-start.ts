// pthread_create to the new thread's first instruction, under mttcg (the
// vCPU worker pool) and qemu-arm in the same run. The guest times each of N
// creations itself (bench/process/thread-start.c); the first `--warmup` of
// each run start workers and translate the start-up path, the rest show the
// warm pool. Target (issue 14): warm median <= 5 ms.
//
//   node dist/bench/process/thread-start.js [--creations 40] [--warmup 10] [--repeat 3]

import { join } from 'node:path';
import { CLI, qemuVersion, ROOT } from '../lib/peers.js';
import { fieldValues, hostLine, median, option, quantile, spread, timed } from '../lib/figures.js';

const argv = process.argv.slice(2);
const creations = option(argv, 'creations', 40);
const warmup = option(argv, 'warmup', 10);
const repeat = option(argv, 'repeat', 3);
const elf = join(ROOT, 'bench', 'process', 'thread-start.elf');

function warmMicros(cmd: string, args: string[]): { medians: number[]; p90s: number[]; firsts: number[] } {
  const medians: number[] = [];
  const p90s: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = timed(cmd, args);
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
    const us = fieldValues(r.stdout, 'start ', 'us');
    if (us.length !== creations) throw new Error(`expected ${creations} start lines, got ${us.length}`);
    const warm = us.slice(warmup);
    medians.push(median(warm) / 1000);
    p90s.push(quantile(warm, 0.9) / 1000);
    firsts.push(us[0]! / 1000);
  }
  return { medians, p90s, firsts };
}

console.log(hostLine());
console.log(`command: node dist/bench/process/thread-start.js --creations ${creations} --warmup ${warmup} --repeat ${repeat}`);
const m = warmMicros(process.execPath, [CLI, 'run', elf, String(creations)]);
console.log(`mttcg    warm median per run: ${spread(m.medians, 'ms')}; p90 ${spread(m.p90s, 'ms')}; first creation ${spread(m.firsts, 'ms', 1)}`);
if (qemuVersion()) {
  const q = warmMicros('qemu-arm', [elf, String(creations)]);
  console.log(`qemu-arm warm median per run: ${spread(q.medians, 'ms', 3)}; p90 ${spread(q.p90s, 'ms', 3)} (${qemuVersion()})`);
  console.log(`ratio mttcg/qemu-arm (medians): ${(median(m.medians) / median(q.medians)).toFixed(1)}x`);
}
console.log(`target: warm median <= 5 ms: ${median(m.medians) <= 5 ? 'met' : 'missed'}; ${hostLine()}`);
