// Page-granular false sharing under tlbexcl (issue 6, item 8),
// bench/guest/false-sharing.elf: a LDREX/STREX lock and hot non-atomic data
// on one guest page ("same") or on two ("split"), or a lock and hot data per
// thread on pages of their own ("private": only the emulator's locks are
// shared, which shows what Rigo's global lock costs). For each layout and
// vCPU count it prints throughput (lock acquisitions per second of the
// guest's own timing, median of --repeat runs) under tlbexcl with each lock
// variant, under cmpxchg (no slow path on plain stores), and under qemu-arm
// for reference; and the tlbexcl counters of the last run: slow-path stores
// on marked pages, flushes sent, marks cleared, lock contention.
//
//   node dist/bench/tlbexcl/false-sharing.js [--ops N] [--hot N] [--repeat N] [--vcpus 1,2]
//        [--layouts same,split,private] [--locks global,page] [--unmark-after N]

import { join } from 'node:path';
import { cpus } from 'node:os';
import { median, qemuVersion, ROOT, runUnderMttcg, runUnderQemu, type PeerRun } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const ops = opt('ops', '20000');
const hot = opt('hot', '16');
const repeat = Number(opt('repeat', '3'));
const vcpus = opt('vcpus', '1,2').split(',');
const locks = opt('locks', 'global,page').split(',');
const layouts = opt('layouts', 'same,split,private').split(',');
const unmarkAfter = opt('unmark-after', '');
const elf = join(ROOT, 'bench', 'guest', 'false-sharing.elf');
const haveQemu = qemuVersion() !== null;

interface Point {
  readonly opsPerSec: number;
  readonly last: PeerRun;
}

function measure(run: () => PeerRun): Point {
  const runs = Array.from({ length: repeat }, run);
  for (const r of runs) {
    if (r.line.fields.status !== 'pass') throw new Error(`guest reported a lost update: ${JSON.stringify(r.line.fields)}`);
  }
  return { opsPerSec: median(runs.map((r) => r.line.ops / (r.line.ns / 1e9))), last: runs[runs.length - 1]! };
}

const counter = (p: Point, key: string): string => String((p.last.stats as { totals: Record<string, number> } | null)?.totals[key] ?? '-');

console.log(`host: ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
console.log(`workload: false-sharing, ${ops} acquisitions per thread, ${hot} hot stores after each, median of ${repeat}`);
console.log('layout  vcpus  peer                      acq/s    markedPageStores  flushesSent  unmarked  lockContended');
for (const n of vcpus) {
  for (const layout of layouts) {
    const args = [layout, n, ops, hot];
    const rows: [string, Point][] = [];
    for (const lock of locks) {
      const options = ['--strategy', 'tlbexcl', '--tlbexcl-lock', lock];
      if (unmarkAfter) options.push('--tlbexcl-unmark-after', unmarkAfter);
      rows.push([`tlbexcl (${lock} lock)`, measure(() => runUnderMttcg(elf, args, options))]);
    }
    rows.push(['cmpxchg', measure(() => runUnderMttcg(elf, args, ['--strategy', 'cmpxchg']))]);
    if (haveQemu) rows.push(['qemu-arm', measure(() => runUnderQemu(elf, args))]);
    for (const [peer, p] of rows) {
      console.log(`${layout.padEnd(7)} ${n.padStart(5)}  ${peer.padEnd(22)} ${p.opsPerSec.toFixed(0).padStart(9)}  `
        + `${counter(p, 'atomic.markedPageStores').padStart(16)}  ${counter(p, 'atomic.flushRequestsSent').padStart(11)}  `
        + `${counter(p, 'atomic.pagesUnmarked').padStart(8)}  ${counter(p, 'atomic.lockContended').padStart(13)}`);
    }
  }
}
