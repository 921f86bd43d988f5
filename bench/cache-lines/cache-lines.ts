// What a lock hand-over costs in host cache lines (issue 14): the host
// operations of one acquisition of bench/guest/spinlock.c's LDREX/STREX lock
// under cmpxchg, tlbexcl (version monitor; tlbexcl-left: an order tried in
// session 16) and aie (stores=always, version monitor), written out as each
// strategy's translated code does them (sequences.ts), run by 1 or 2 worker
// threads over one SharedArrayBuffer with the strategy's metadata word on a
// host line of its own (as in mttcg) or on the lock's line (layout.ts),
// beside a native C reference of the same sequences (cache-lines.c, built
// at run time). No translator, no guest: what
// is left is the cost of the lines and the locked instructions themselves.
//
//   node dist/bench/cache-lines/cache-lines.js [--threads 1,2] [--ops N]
//     [--warmup N] [--repeat R] [--sequences cmpxchg,tlbexcl,tlbexcl-left,aie]
//     [--places own,same] [--modes free,alternate] [--no-native] [--json FILE]
//
// `free`: the threads race for the lock as the guest's do; `alternate`
// (2+ threads): each waits for its turn first, so every acquisition is a
// hand-over (sequences.ts, Mode).
// Each run prints thread CPU and wall time per acquisition, failed try-locks
// and LDREX waits per acquisition; the summary gives median (min..max, n) per
// configuration, with the load average before and after. The configurations
// are alternated within each repeat. 2-thread figures mean something only if
// both threads had a core: on a busy host run it under SCHED_FIFO with a
// hard timeout (`timeout -s KILL 300 chrt -f 10 node ...`; the threads spin,
// so SIGTERM is never handled there). docs/benchmarks.md, "Cache lines per
// hand-over".

import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { median, option, textOption } from '../lib/figures.js';
import { runJs } from './js-run.js';
import { META_PLACES, type MetaPlace } from './layout.js';
import { buildNative, type NativeReference } from './native.js';
import { runFigures, type RunFigures } from './run-figures.js';
import { MODES, SEQUENCES, type Mode, type SequenceName } from './sequences.js';

interface Config {
  readonly peer: 'js' | 'native';
  readonly sequence: SequenceName;
  readonly place: MetaPlace;
  readonly threads: number;
  readonly mode: Mode;
}

const label = (c: Config): string =>
  `${c.peer} ${c.sequence}${c.sequence === 'cmpxchg' ? '' : ` meta=${c.place}`} threads=${c.threads}${c.mode === 'free' ? '' : ` ${c.mode}`}`;

function listOption<T extends string>(argv: readonly string[], name: string, all: readonly T[]): T[] {
  const words = textOption(argv, name, all.join(',')).split(',');
  for (const w of words) if (!all.includes(w as T)) throw new Error(`cache-lines: --${name}: '${w}' is not one of ${all.join(', ')}`);
  return words as T[];
}

const fmt = (x: number, d = 1): string => x.toFixed(d);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const threadCounts = textOption(argv, 'threads', '1,2').split(',').map(Number);
  if (threadCounts.some((t) => !Number.isInteger(t) || t < 1 || t > 64)) throw new Error('cache-lines: --threads takes counts from 1 to 64');
  const ops = option(argv, 'ops', 1_000_000);
  const warmup = option(argv, 'warmup', 200_000);
  const repeat = option(argv, 'repeat', 5);
  const sequences = listOption(argv, 'sequences', SEQUENCES);
  const places = listOption(argv, 'places', META_PLACES);
  const modes = listOption(argv, 'modes', MODES);
  const jsonFile = textOption(argv, 'json', '');
  let native: NativeReference | null = null;
  if (!argv.includes('--no-native')) {
    const built = buildNative();
    if (typeof built === 'string') process.stdout.write(`${built}\n`);
    else native = built;
  }
  const configs: Config[] = [];
  for (const threads of threadCounts) {
    // One thread has nobody to alternate with.
    for (const mode of threads === 1 ? modes.filter((m) => m === 'free') : modes) {
      for (const sequence of sequences) {
        for (const place of sequence === 'cmpxchg' ? ['own' as const] : places) {
          configs.push({ peer: 'js', sequence, place, threads, mode });
          if (native) configs.push({ peer: 'native', sequence, place, threads, mode });
        }
      }
    }
  }
  const loadBefore = load();
  process.stdout.write(`cache-lines: ${ops} acquisitions per thread (after a warm-up of ${warmup} on other words, contended alike), ${repeat} repeats, node ${process.version}, load ${loadBefore}\n`);
  const results = new Map<string, RunFigures[]>();
  try {
    for (let r = 0; r < repeat; r++) {
      for (const c of configs) {
        const threads = c.peer === 'js' ? await runJs(c.sequence, c.place, c.threads, c.mode, ops, warmup) : native!.run(c.sequence, c.place, c.threads, c.mode, ops, warmup);
        const f = runFigures(threads);
        results.set(label(c), [...(results.get(label(c)) ?? []), f]);
        process.stdout.write(`run ${r + 1} ${label(c)}: cpu ${fmt(f.cpuPerOp)} ns/acq, wall ${fmt(f.wallPerOp)} ns/acq, ` +
          `fails ${fmt(f.failsPerOp, 4)}/acq, waits ${fmt(f.waitsPerOp, 4)}/acq, ops ${f.ops}, least on core ${fmt(f.leastOnCore, 2)}, load ${load()}\n`);
      }
    }
  } finally {
    native?.dispose();
  }
  process.stdout.write(`\nsummary, median (min..max), n=${repeat} each; load before ${loadBefore}, after ${load()}\n`);
  process.stdout.write('| configuration | thread CPU ns/acq | wall ns/acq | failed try-locks/acq | LDREX waits/acq | least busy thread on core |\n|---|---|---|---|---|---|\n');
  const cell = (xs: number[], d: number): string => `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}..${fmt(Math.max(...xs), d)})`;
  for (const [name, fs] of results) {
    process.stdout.write(`| ${name} | ${cell(fs.map((f) => f.cpuPerOp), 1)} | ${cell(fs.map((f) => f.wallPerOp), 1)} | ` +
      `${cell(fs.map((f) => f.failsPerOp), 4)} | ${cell(fs.map((f) => f.waitsPerOp), 4)} | ${cell(fs.map((f) => f.leastOnCore), 2)} |\n`);
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ ops, warmup, repeat, loadBefore, loadAfter: load(), results: Object.fromEntries(results) }, null, 1));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
