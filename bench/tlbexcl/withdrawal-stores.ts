// What tlbexcl's plain withdrawal (docs/strategy-tlbexcl.md, "The plain
// withdrawal"; --tlbexcl-withdraw plain, the default on x86-64) costs a
// store-heavy guest, against the atomic one: under `plain` a run of stores to
// a marked frame announces itself with a load and a compare-and-set instead
// of one `Atomics.add`, and what it gains is a STREX's withdrawal by a plain
// store instead of a locked add. The guest is bench/guest/false-sharing
// (a LDREX/STREX lock, a counter beside it, then --hot plain stores to the
// thread's own line; layout "same" puts those lines on the lock's page, so
// every run of them is a store to a marked frame, "private" a page per
// thread). For each layout and vCPU count the two withdrawals run in paired
// rounds (bench/lib/paired-ratio.ts: each round runs both once, the order
// rotated, and the figure is the median of the per-round ratios plain/atomic
// with its order-statistic interval), then once more each with --stats for
// the counters per acquisition.
//
//   node dist/bench/tlbexcl/withdrawal-stores.js [--ops N] [--hot N] [--repeat ROUNDS]
//        [--vcpus 1,2] [--layouts same,private] [--limit-s S] [--realtime]

import { join } from 'node:path';
import { hostLine, spread, textOption } from '../lib/figures.js';
import { pairedRatio, pairedText, perRoundRatios, rotatedOrder } from '../lib/paired-ratio.js';
import { type PeerRun, ROOT, runUnderMttcg } from '../lib/peers.js';
import { checkRealtime, realtimeRequested, schedulingLine } from '../lib/realtime.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => textOption(argv, name, def);
const ops = opt('ops', '200000');
const hot = opt('hot', '16');
const repeat = Number(opt('repeat', '15'));
if (!(Number.isInteger(repeat) && repeat > 0)) throw new Error('--repeat takes a positive whole number of rounds');
const vcpus = opt('vcpus', '1,2').split(',');
const layouts = opt('layouts', 'same,private').split(',');
const limitMs = 1000 * Number(opt('limit-s', '120'));
if (!(limitMs > 0)) throw new Error('--limit-s takes a positive number of seconds');
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();
const elf = join(ROOT, 'bench', 'guest', 'false-sharing.elf');
const WITHDRAWALS = ['plain', 'atomic'] as const;
type Withdrawal = (typeof WITHDRAWALS)[number];
const COUNTERS = ['atomic.ldrex', 'atomic.strex', 'atomic.markedPageStores', 'atomic.unlockedStores', 'atomic.unlockedStoreWaits', 'atomic.lockContended'];

const options = (w: Withdrawal): string[] => ['--strategy', 'tlbexcl', '--tlbexcl-withdraw', w];

/** Acquisitions per second of the guest's own timed section; throws on a lost update. */
function rate(r: PeerRun): number {
  if (r.line.fields.status !== 'pass') throw new Error(`guest reported a lost update: ${JSON.stringify(r.line.fields)}`);
  return r.line.ops / (r.line.ns / 1e9);
}

console.log(hostLine());
console.log(`command: node dist/bench/tlbexcl/withdrawal-stores.js --ops ${ops} --hot ${hot} --repeat ${repeat} --vcpus ${vcpus.join(',')} --layouts ${layouts.join(',')} --limit-s ${limitMs / 1000}${realtime ? ' --realtime' : ''}`);
console.log(`workload: false-sharing, ${ops} acquisitions per thread, ${hot} plain stores to the thread's line after each`);
console.log(schedulingLine());
for (const n of vcpus) {
  for (const layout of layouts) {
    const args = [layout, n, ops, hot];
    const rates: Record<Withdrawal, number[]> = { plain: [], atomic: [] };
    for (let round = 0; round < repeat; round++) {
      for (const w of rotatedOrder(WITHDRAWALS, round)) rates[w].push(rate(runUnderMttcg(elf, args, options(w), limitMs, false)));
    }
    console.log(`\n${layout}, ${n} vCPU${n === '1' ? '' : 's'}:`);
    for (const w of WITHDRAWALS) console.log(`  ${w.padEnd(6)} ${spread(rates[w].map((x) => x / 1e6), 'M acq/s', 3)}`);
    console.log(`  plain / atomic: ${pairedText(pairedRatio(perRoundRatios(rates.plain, rates.atomic)), 3)}`);
    for (const w of WITHDRAWALS) {
      const totals = (runUnderMttcg(elf, args, options(w), limitMs).stats as { totals: Record<string, number> } | null)?.totals ?? {};
      const acquisitions = Number(n) * Number(ops);
      const per = COUNTERS.map((k) => `${k.replace('atomic.', '')} ${((totals[k] ?? 0) / acquisitions).toFixed(3)}`);
      console.log(`  ${w.padEnd(6)} per acquisition (one --stats run): ${per.join(', ')}`);
    }
  }
}
