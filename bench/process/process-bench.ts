// Process benchmarks against qemu-arm in the same run (issue 22):
//   fork + _exit + wait of a process with 16 MB touched (goal <= 5 ms),
//   execve of an image that already ran, to its main() (goal <= 20 ms;
//     mttcg only: qemu-arm cannot execve an ARM file without binfmt_misc),
//   a busybox shell loop `for i in $(seq 1 N); do echo $i | cat >/dev/null; done`
//     (goal <= 1.0x qemu-arm's wall time).
// Each guest times its own rounds; the loop is timed from outside (wall).
//
//   node dist/bench/process/process-bench.js [--rounds 20] [--loop 200] [--repeat 3]

import { join } from 'node:path';
import { busyboxPath } from '../../harness/guest-runner.js';
import { CLI, qemuVersion, ROOT } from '../lib/peers.js';
import { fieldValues, hostLine, median, option, spread, timed } from '../lib/figures.js';

const argv = process.argv.slice(2);
const rounds = option(argv, 'rounds', 20);
const loop = option(argv, 'loop', 200);
const repeat = option(argv, 'repeat', 3);
const warm = Math.min(5, rounds - 1);
const mttcg = (args: string[]): [string, string[]] => [process.execPath, [CLI, 'run', ...args]];

/** Median (ms) of the warm rounds of each run. */
function guestRounds(cmd: [string, string[]], prefix: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = timed(cmd[0], cmd[1]);
    if (r.status !== 0) throw new Error(`${cmd[0]} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
    out.push(median(fieldValues(r.stdout, prefix, 'us').slice(warm)) / 1000);
  }
  return out;
}

console.log(hostLine());
console.log(`command: node dist/bench/process/process-bench.js --rounds ${rounds} --loop ${loop} --repeat ${repeat}`);
const haveQemu = qemuVersion() !== null;

const forkElf = join(ROOT, 'bench', 'process', 'fork-wait.elf');
const fm = guestRounds(mttcg([forkElf, String(rounds)]), 'fork ');
console.log(`fork+_exit+wait, 16 MB touched, median of rounds ${warm + 1}..${rounds} per run:`);
console.log(`  mttcg    ${spread(fm, 'ms')}`);
if (haveQemu) {
  const fq = guestRounds(['qemu-arm', [forkElf, String(rounds)]], 'fork ');
  console.log(`  qemu-arm ${spread(fq, 'ms', 3)}; ratio ${(median(fm) / median(fq)).toFixed(1)}x`);
}
console.log(`  goal <= 5 ms: ${median(fm) <= 5 ? 'met' : 'missed'}`);

const execElf = join(ROOT, 'bench', 'process', 'exec-start.elf');
const em = guestRounds(mttcg(['--allow-dir', join(ROOT, 'bench', 'process'), execElf, String(rounds)]), 'exec ');
console.log(`execve of an image that already ran, to main(), median of rounds ${warm + 1}..${rounds} per run:`);
console.log(`  mttcg    ${spread(em, 'ms')} (qemu-arm cannot execve an ARM file without binfmt_misc)`);
console.log(`  goal <= 20 ms: ${median(em) <= 20 ? 'met' : 'missed'}`);

const bb = busyboxPath();
if (!bb) {
  console.log('busybox loop: busybox-static:armel not fetched (sh scripts/fetch-busybox.sh)');
} else {
  const script = `for i in $(seq 1 ${loop}); do echo $i | cat >/dev/null; done`;
  const wall = (cmd: [string, string[]]): number[] => {
    const out: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const r = timed(cmd[0], cmd[1]);
      if (r.status !== 0) throw new Error(`${cmd[0]} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
      out.push(r.seconds);
    }
    return out;
  };
  const bm = wall(mttcg(['--allow-dir', join(bb, '..'), bb, 'sh', '-c', script]));
  console.log(`busybox loop, ${loop} iterations, wall:`);
  console.log(`  mttcg    ${spread(bm, 's')}`);
  if (haveQemu) {
    const bq = wall(['qemu-arm', [bb, 'sh', '-c', script]]);
    console.log(`  qemu-arm ${spread(bq, 's')}; ratio ${(median(bm) / median(bq)).toFixed(2)}x; goal <= 1.0x: ${median(bm) <= median(bq) ? 'met' : 'missed'}`);
  }
}
console.log(`after: ${hostLine()}`);
