// A real program's atomics, armhf beside armel: Debian's pigz -p N (the
// corpus of scripts/fetch-corpus.sh, through -L) compresses the same input
// under each correct strategy and under qemu-arm, in interleaved rounds.
// armhf pigz reaches glibc's mutexes and condition variables through
// LDREX/STREX (Thumb-2); armel pigz, built for ARMv5TE, through the kuser
// cmpxchg helper. Printed per architecture and strategy, from mttcg --stats:
// LDREX, STREX, failed STREX (monitor lost / value changed), kuser cmpxchg and
// failed cmpxchg, and barriers per million guest instructions (how often the
// program synchronises and how far its threads contend), the wall time and
// the vCPUs' CPU time, mttcg's wall time over qemu-arm's in the same round
// (median, min, max over rounds), futex waits per million instructions (a
// glibc lock found taken, or a condition variable) and the vCPUs' summed CPU time over the wall time
// (above 1: threads ran at the same time). Every output must equal qemu-arm's.
// --json FILE writes the results for the report (mttcg report --armhf-atomics FILE).
//
//   node dist/bench/armhf/pigz-atomics.js [--repeat N] [--kb N] [--threads N] [--json FILE]
//
// Needs qemu-arm and both corpora (sh scripts/fetch-corpus.sh armel; ... armhf).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCorpus, writeCorpusInput, type Corpus, type CorpusArch } from '../../harness/corpus.js';
import { counter, runMttcgCounted } from '../../harness/real-program-stats.js';
import { COMPRESSORS, runQemuProgram } from '../../harness/real-programs.js';
import { hostLine, median, option, spread } from '../lib/figures.js';
import { qemuVersion } from '../lib/peers.js';
import { ARMHF_COUNTERS, type ArmhfCounter, type ArmhfResults, type ArmhfRow } from './armhf-results.js';

const argv = process.argv.slice(2);
const repeat = option(argv, 'repeat', 3);
const kb = option(argv, 'kb', 600);
const threads = option(argv, 'threads', 2);
const ARCHES: readonly CorpusArch[] = ['armel', 'armhf'];
const STRATEGIES = ['cmpxchg', 'aie', 'tlbexcl'] as const;
const jsonIndex = argv.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
if (jsonIndex >= 0 && !jsonFile) throw new Error('--json needs a file name');

const corpora = new Map<CorpusArch, Corpus>();
for (const a of ARCHES) {
  const c = findCorpus(a);
  if (!c) throw new Error(`the ${a} corpus is not fetched: sh scripts/fetch-corpus.sh ${a}`);
  corpora.set(a, c);
}
if (!qemuVersion()) throw new Error('qemu-arm is not installed');
const dir = mkdtempSync(join(tmpdir(), 'mttcg-pigz-'));
writeCorpusInput(join(dir, 'input.txt'), kb * 1000);
const pigz = COMPRESSORS.find((c) => c.name === 'pigz')!;

interface Sample { wall: number; cpu: number; ratio: number; perM: Record<ArmhfCounter, number>; insns: number; parallelism: number; threads: number }
const samples = new Map<string, Sample[]>();
const qemuWall = new Map<CorpusArch, number[]>();
const loads: number[] = [];
const started = hostLine();

function wallOf(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

for (let round = 0; round < repeat; round++) {
  for (const arch of round % 2 ? [...ARCHES].reverse() : ARCHES) {
    const corpus = corpora.get(arch)!;
    const spec = { sysroot: corpus.sysroot, program: pigz.program, args: pigz.compress(threads, 'input.txt'), dir };
    let expected: Buffer = Buffer.alloc(0);
    const qw = wallOf(() => {
      const q = runQemuProgram(spec);
      if (q.status !== 0) throw new Error(`${arch}: qemu-arm pigz failed: ${q.stderr}`);
      expected = q.stdout;
    });
    qemuWall.set(arch, [...(qemuWall.get(arch) ?? []), qw]);
    for (const s of STRATEGIES) {
      let totals: Readonly<Record<string, number>> = {};
      let insns = NaN;
      let threadCpu: readonly number[] = [];
      let recordWall = NaN;
      const wall = wallOf(() => {
        const m = runMttcgCounted(spec, ['--strategy', s]);
        if (m.status !== 0 || !m.stdout.equals(expected)) {
          throw new Error(`${arch} ${s}: status ${m.status}, output ${m.stdout.equals(expected) ? 'equal' : 'DIFFERS'}: ${m.stderr}`);
        }
        totals = m.totals;
        insns = counter(m, 'guestInsns');
        threadCpu = m.threadCpuNs;
        recordWall = m.wallSeconds;
      });
      const perM = Object.fromEntries(ARMHF_COUNTERS.map((k) => [k, ((totals[k] ?? 0) * 1e6) / insns])) as Record<ArmhfCounter, number>;
      const cpu = threadCpu.reduce((a, b) => a + b, 0) / 1e9;
      const key = `${arch} ${s}`;
      const sample = { wall, cpu, ratio: wall / qw, perM, insns, parallelism: cpu / recordWall, threads: threadCpu.length };
      samples.set(key, [...(samples.get(key) ?? []), sample]);
    }
    process.stderr.write(`round ${round + 1}/${repeat} ${arch} done\n`);
  }
  loads.push(loadavg()[0]!);
}

console.log(`pigz -p ${threads} -c on ${kb} KB of generated text (harness/corpus.ts), ${repeat} interleaved rounds`);
console.log(`start: ${started}; end: ${hostLine()}`);
console.log(`peer: ${qemuVersion()}; every mttcg output equalled qemu-arm's`);
for (const arch of ARCHES) {
  console.log(`\n${arch} (${corpora.get(arch)!.versions.get('pigz') ?? '?'}; qemu-arm wall ${spread(qemuWall.get(arch)!, 's')})`);
  console.log('strategy  guest Minsn  LDREX/M  STREX/M  STREX fail/M  cmpxchg/M  cmpxchg fail/M  barriers/M  futex waits/M  | wall s, vCPU CPU s, mttcg/qemu-arm wall, vCPU CPU/wall');
  for (const s of STRATEGIES) {
    const xs = samples.get(`${arch} ${s}`)!;
    const m = (k: ArmhfCounter): string => median(xs.map((x) => x.perM[k])).toFixed(1).padStart(7);
    const fails = median(xs.map((x) => x.perM['atomic.strexFailMonitor']! + x.perM['atomic.strexFailValue']!)).toFixed(2).padStart(12);
    console.log(`${s.padEnd(9)} ${(median(xs.map((x) => x.insns)) / 1e6).toFixed(1).padStart(11)}  ${m('atomic.ldrex')}  ${m('atomic.strex')}  ${fails}  ${m('atomic.cas')}  ${median(xs.map((x) => x.perM['atomic.casFail']!)).toFixed(2).padStart(14)}  ${m('atomic.barriers')}  ${m('futexWaits')}       | ${spread(xs.map((x) => x.wall), 's', 1)}; ${spread(xs.map((x) => x.cpu), 's', 1)}; ${spread(xs.map((x) => x.ratio), 'x')}; ${spread(xs.map((x) => x.parallelism), '')}`);
  }
}

if (jsonFile) {
  const rows: ArmhfRow[] = [...samples.entries()].map(([key, xs]) => {
    const [arch, strategy] = key.split(' ') as [CorpusArch, string];
    return {
      arch, strategy, insns: xs.map((x) => x.insns),
      perM: Object.fromEntries(ARMHF_COUNTERS.map((k) => [k, xs.map((x) => x.perM[k])])) as Record<ArmhfCounter, number[]>,
      wall: xs.map((x) => x.wall), cpu: xs.map((x) => x.cpu), ratio: xs.map((x) => x.ratio),
      parallelism: xs.map((x) => x.parallelism), threads: xs.map((x) => x.threads),
    };
  });
  const results: ArmhfResults = {
    kind: 'armhf-atomics', host: hostLine(), command: `node dist/bench/armhf/pigz-atomics.js ${argv.join(' ')}`,
    pigzThreads: threads, bytes: kb * 1000, repeat, loads,
    versions: Object.fromEntries(ARCHES.map((a) => [a, corpora.get(a)!.versions.get('pigz') ?? '?'])),
    qemuWall: Object.fromEntries(ARCHES.map((a) => [a, qemuWall.get(a)!])), rows,
  };
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`\nwrote ${jsonFile} (mttcg report --armhf-atomics ${jsonFile})`);
}
