// Process benchmarks against qemu-arm in the same run (issue 22):
//   fork + _exit + wait of a process with 16 MB touched (goal <= 5 ms),
//   execve of an image that already ran, to its main() (goal <= 20 ms;
//     mttcg only: qemu-arm cannot execve an ARM file without binfmt_misc),
//   a busybox shell loop `for i in $(seq 1 N); do echo $i | cat >/dev/null; done`
//     (goal <= 1.0x qemu-arm's wall time), against qemu-arm with binfmt_misc
//     (qemu-binfmt.ts: its shell then execs the ARM busybox too) and without
//     (its exec fails and the host's cat runs: shown, not the goal's baseline).
// Each guest times its own rounds; the loop is timed from outside (wall).
//
//   node dist/bench/process/process-bench.js [--rounds 20] [--loop 200] [--repeat 3] [--parts fork,exec,loop]

import { join } from 'node:path';
import { busyboxPath } from '../../harness/guest-runner.js';
import { CLI, qemuVersion, ROOT } from '../lib/peers.js';
import { fieldValues, hostLine, median, option, spread, textOption, timed } from '../lib/figures.js';
import { binfmtCommand } from './qemu-binfmt.js';

const argv = process.argv.slice(2);
const rounds = option(argv, 'rounds', 20);
const loop = option(argv, 'loop', 200);
const repeat = option(argv, 'repeat', 3);
/** Which measurements to take (all by default): fork, exec, loop. */
const parts = new Set(textOption(argv, 'parts', 'fork,exec,loop').split(','));
const warm = Math.min(5, rounds - 1);
const mttcg = (args: string[]): [string, string[]] => [process.execPath, [CLI, 'run', ...args]];
/** What the shell's `cat` is: the ARM busybox (exec'd, emulated) or the host's (qemu-arm without binfmt_misc falls back to it). */
const CAT_HELP = 'cat --help 2>&1 | head -n 1';
function catIdentity(cmd: [string, string[]]): string {
  const r = timed(cmd[0], cmd[1]);
  return /BusyBox/.test(r.stdout) ? 'the ARM busybox' : `the host's (${r.stdout.trim().slice(0, 40)})`;
}

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
console.log(`command: node dist/bench/process/process-bench.js --rounds ${rounds} --loop ${loop} --repeat ${repeat} --parts ${[...parts].join(',')}`);
const haveQemu = qemuVersion() !== null;

if (parts.has('fork')) {
  const forkElf = join(ROOT, 'bench', 'process', 'fork-wait.elf');
  const fm = guestRounds(mttcg([forkElf, String(rounds)]), 'fork ');
  console.log(`fork+_exit+wait, 16 MB touched, median of rounds ${warm + 1}..${rounds} per run:`);
  console.log(`  mttcg    ${spread(fm, 'ms')}`);
  if (haveQemu) {
    const fq = guestRounds(['qemu-arm', [forkElf, String(rounds)]], 'fork ');
    console.log(`  qemu-arm ${spread(fq, 'ms', 3)}; ratio ${(median(fm) / median(fq)).toFixed(1)}x`);
  }
  console.log(`  goal <= 5 ms: ${median(fm) <= 5 ? 'met' : 'missed'}`);
}

if (parts.has('exec')) {
  const execElf = join(ROOT, 'bench', 'process', 'exec-start.elf');
  const em = guestRounds(mttcg(['--allow-dir', join(ROOT, 'bench', 'process'), execElf, String(rounds)]), 'exec ');
  console.log(`execve of an image that already ran, to main(), median of rounds ${warm + 1}..${rounds} per run:`);
  console.log(`  mttcg    ${spread(em, 'ms')}`);
  const fair = haveQemu ? binfmtCommand(['qemu-arm', execElf, String(rounds)]) : 'qemu-arm is not installed';
  if (typeof fair === 'string') console.log(`  qemu-arm cannot execve an ARM file without binfmt_misc: ${fair}`);
  else console.log(`  qemu-arm ${spread(guestRounds(fair, 'exec '), 'ms')} with binfmt_misc (a new qemu-arm per exec)`);
  console.log(`  goal <= 20 ms: ${median(em) <= 20 ? 'met' : 'missed'}`);
}

const bb = busyboxPath();
if (!parts.has('loop')) {
  // not asked for
} else if (!bb) {
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
  const mttcgSh = mttcg(['--allow-dir', join(bb, '..'), bb, 'sh', '-c', script]);
  const bm = wall(mttcgSh);
  console.log(`busybox loop, ${loop} iterations, wall:`);
  console.log(`  mttcg    ${spread(bm, 's')}; its cat: ${catIdentity(mttcg(['--allow-dir', join(bb, '..'), bb, 'sh', '-c', CAT_HELP]))}`);
  if (haveQemu) {
    // With binfmt_misc (a private one, qemu-binfmt.ts) qemu-arm's shell execs the ARM busybox as mttcg's does: the fair baseline.
    const fair = binfmtCommand(['qemu-arm', bb, 'sh', '-c', script]);
    if (typeof fair === 'string') {
      console.log(`  qemu-arm with binfmt_misc: cannot run here: ${fair}`);
    } else {
      const bf = wall(fair);
      const check = binfmtCommand(['qemu-arm', bb, 'sh', '-c', CAT_HELP]) as [string, string[]];
      console.log(`  qemu-arm ${spread(bf, 's')} with binfmt_misc (its cat: ${catIdentity(check)}); ratio ${(median(bm) / median(bf)).toFixed(2)}x; ` +
        `goal <= 1.0x: ${median(bm) <= median(bf) ? 'met' : 'missed'}`);
    }
    const bq = wall(['qemu-arm', [bb, 'sh', '-c', script]]);
    console.log(`  qemu-arm ${spread(bq, 's')} without binfmt_misc (its cat: ${catIdentity(['qemu-arm', [bb, 'sh', '-c', CAT_HELP]])}: ` +
      `not an emulated exec); ratio ${(median(bm) / median(bq)).toFixed(2)}x`);
  }
}
console.log(`after: ${hostLine()}`);
