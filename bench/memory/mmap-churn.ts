// Address-space churn beside running code (issue 23 item 4): wall time of
// bench/guest/mmap-churn.elf under mttcg and under qemu-arm, run alternately
// in the same session, with the spread and the load average around each run,
// and mttcg's counters that show where the cost would come from (TLB flushes
// sent to other vCPUs, full flushes, blocks invalidated).
//
//   node dist/bench/memory/mmap-churn.js [--threads T] [--iters N] [--repeat R]
//
// Goal: mttcg within 5x of qemu-arm's wall time. Both run the same ELF with
// the same arguments and must print the same checksum.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, median, qemuVersion, ROOT } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const threads = opt('threads', 4);
const iters = opt('iters', 20000);
const repeat = opt('repeat', 5);
const elf = join(ROOT, 'bench', 'guest', 'mmap-churn.elf');
const args = [String(threads), String(iters)];

interface Timed {
  readonly seconds: number;
  readonly checksum: string;
  readonly load: number;
}

function timed(cmd: string, cmdArgs: readonly string[]): Timed {
  const load = loadavg()[0]!;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /checksum=([0-9a-f]+)/.exec(r.stdout);
  if (!m) throw new Error(`no RESULT line from ${cmd}:\n${r.stdout}`);
  return { seconds, checksum: m[1]!, load };
}

function spread(xs: readonly number[]): string {
  return `median ${median(xs).toFixed(2)} s, min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)} (n=${xs.length})`;
}

const qemu = qemuVersion();
const dir = mkdtempSync(join(tmpdir(), 'mttcg-churn-'));
const statsFile = join(dir, 'stats.json');
const m: Timed[] = [];
const q: Timed[] = [];
for (let i = 0; i < repeat; i++) {
  m.push(timed(process.execPath, [CLI, 'run', '--stats-json', statsFile, elf, ...args]));
  if (qemu) q.push(timed('qemu-arm', [elf, ...args]));
  process.stderr.write(`repeat ${i + 1}/${repeat} done\n`);
}
const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { totals: Record<string, number>; process: Record<string, number> };
rmSync(dir, { recursive: true, force: true });

const loads = [...m, ...q].map((r) => r.load);
console.log(`workload: mmap-churn, ${threads} threads x ${iters} iterations (${nproc()} host cores, load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} at the runs' starts)`);
console.log(`mttcg:    ${spread(m.map((r) => r.seconds))}`);
const t = stats.totals;
console.log(`          last run: ${t.syscalls} syscalls, ${stats.process.tlbFlushRequests} cross-vCPU flush requests, ` +
  `${t.tlbFullFlushes} full TLB flushes, ${t.tlbPageFlushes} page flushes, ${t.tbsTranslated} blocks translated, ${t.tbsInvalidated} invalidated`);
if (qemu) {
  console.log(`qemu-arm: ${spread(q.map((r) => r.seconds))} (${qemu})`);
  const same = m.every((r) => r.checksum === q[0]!.checksum) && q.every((r) => r.checksum === q[0]!.checksum);
  console.log(`checksums ${same ? 'agree' : 'DIFFER'} (${q[0]!.checksum})`);
  console.log(`ratio mttcg/qemu-arm (medians): ${(median(m.map((r) => r.seconds)) / median(q.map((r) => r.seconds))).toFixed(2)}x (goal: at most 5x)`);
} else {
  console.log('qemu-arm: not installed, no ratio');
}

function nproc(): number {
  return cpus().length;
}
