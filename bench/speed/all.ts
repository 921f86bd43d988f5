// Every issue-14 speed figure in one command: runs the speed benchmarks one
// after another (each prints its own figures with spread, against qemu-arm
// measured in the same session), then a Markdown summary of their target
// lines with the commit and the load before and after, ready for
// reports/measurements/speed.md.
//
//   node dist/bench/speed/all.js [--quick] [--realtime]
//
// --quick takes fewer repeats and shorter workloads (a smoke run, not evidence).
// --realtime passes --realtime to the 2-vCPU scaling, contended-add and
// spinlock scripts (their emulators under SCHED_FIFO, bench/lib/realtime.ts), so that
// their threads run side by side even when the host is busy with other work.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hostLine, isTargetLine } from '../lib/figures.js';
import { ROOT } from '../lib/peers.js';

const quick = process.argv.includes('--quick');
const realtime = process.argv.includes('--realtime');

interface Script {
  readonly what: string;
  readonly path: string;
  readonly args: readonly string[];
  readonly quickArgs: readonly string[];
  /** Takes --realtime (lib/realtime.ts). */
  readonly realtime?: boolean;
}

const SCRIPTS: readonly Script[] = [
  { what: 'cold start', path: 'speed/cold-start.js', args: [], quickArgs: ['--repeat', '3'] },
  { what: 'steady single thread', path: 'speed/single-thread.js', args: [], quickArgs: ['--repeat', '3', '--units', '10000'] },
  // 15 paired rounds for the two 2-vCPU targets (their interval is the 4th to the 12th round ratio): with 9, both
  // were undecided in a run of session 15 whose median sat near the target (speed.md, "Every target, session 15").
  { what: '1 -> 2 vCPU scaling', path: 'speed/scaling-parallel.js', args: ['--repeat', '15'], quickArgs: ['--repeat', '3', '--units', '10000'], realtime: true },
  { what: 'contended cmpxchg add', path: 'speed/contended-atomics.js', args: ['--repeat', '15'], quickArgs: ['--repeat', '3', '--ops', '100000'], realtime: true },
  // 27 paired rounds of the targets' three strategies (with qemu-arm): 27
  // rounds' 95% interval of the median ratio is the 8th to the 20th of them
  // (lib/median-interval.ts); under SCHED_FIFO 9 rounds left aie stores=always
  // undecided in 3 of 4 session-15 sets, 27 narrowed the interval to about
  // 0.2, and 18 left both targets undecided in one of the lead's two all.js
  // runs (speed.md, session 15). The other variants, and
  // stop-the-world at 19 s a run, would make this step several minutes
  // (spinlock-strategies.js runs them all by default).
  {
    what: 'LL/SC spinlock', path: 'speed/spinlock-strategies.js',
    args: ['--repeat', '27', '--strategies', 'cmpxchg,tlbexcl,aie:aie-stores=always'],
    quickArgs: ['--repeat', '3', '--ops', '30000', '--strategies', 'cmpxchg,tlbexcl,aie:aie-stores=always'], realtime: true,
  },
  { what: 'thread start', path: 'process/thread-start.js', args: [], quickArgs: ['--repeat', '2'] },
];

function gitHead(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

const rows: string[] = [];
const before = hostLine();
const t0 = Date.now();
for (const s of SCRIPTS) {
  const args = [...(quick ? s.quickArgs : s.args), ...(realtime && s.realtime ? ['--realtime'] : [])];
  console.log(`\n## ${s.what}: node dist/bench/${s.path} ${args.join(' ')}`.trimEnd());
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'bench', s.path), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  process.stdout.write(r.stdout);
  if (r.status !== 0) {
    process.stdout.write(r.stderr.slice(-2000));
    rows.push(`| ${s.what} | failed (exit ${r.status}) |`);
    continue;
  }
  // Each script ends its figures with lines naming its target(s) and whether it was met.
  const targets = r.stdout.split('\n').filter(isTargetLine);
  for (const t of targets) rows.push(`| ${s.what} | ${t.replace(/\|/g, '/').trim()} |`);
}
console.log(`\n## summary (commit ${gitHead()}, ${((Date.now() - t0) / 60000).toFixed(1)} min${quick ? ', --quick: not evidence' : ''}${realtime ? ', 2-vCPU points under SCHED_FIFO (--realtime)' : ''})`);
console.log(`before: ${before}`);
console.log(`after:  ${hostLine()}`);
console.log('\n| benchmark | result |\n|---|---|');
for (const r of rows) console.log(r);
