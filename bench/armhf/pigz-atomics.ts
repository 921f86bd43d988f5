// A real program's atomics, armhf beside armel: Debian's pigz -p N (the
// corpus of scripts/fetch-corpus.sh, through -L) compresses the same input
// under each correct strategy and under qemu-arm, in interleaved rounds.
// armhf pigz reaches glibc's mutexes and condition variables through
// LDREX/STREX (Thumb-2); armel pigz, built for ARMv5TE, through the kuser
// cmpxchg helper. Printed per architecture and strategy, from mttcg --stats:
// LDREX, STREX, failed STREX (monitor lost / value changed), kuser cmpxchg and
// failed cmpxchg, and barriers per million guest instructions (how often the
// program synchronises and how far its threads contend), the wall time and
// the vCPUs' CPU time, and mttcg's wall time over qemu-arm's in the same
// round (median, min, max over rounds). Every output must equal qemu-arm's.
//
//   node dist/bench/armhf/pigz-atomics.js [--repeat N] [--kb N] [--threads N]
//
// Needs qemu-arm and both corpora (sh scripts/fetch-corpus.sh armel; ... armhf).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCorpus, writeCorpusInput, type Corpus, type CorpusArch } from '../../harness/corpus.js';
import { counter, runMttcgCounted } from '../../harness/real-program-stats.js';
import { COMPRESSORS, runQemuProgram } from '../../harness/real-programs.js';
import { hostLine, median, option, spread } from '../lib/figures.js';
import { qemuVersion } from '../lib/peers.js';

const argv = process.argv.slice(2);
const repeat = option(argv, 'repeat', 3);
const kb = option(argv, 'kb', 600);
const threads = option(argv, 'threads', 2);
const ARCHES: readonly CorpusArch[] = ['armel', 'armhf'];
const STRATEGIES = ['cmpxchg', 'aie', 'tlbexcl'] as const;
const COUNTERS = ['atomic.ldrex', 'atomic.strex', 'atomic.strexFailMonitor', 'atomic.strexFailValue', 'atomic.cas', 'atomic.casFail', 'atomic.barriers'] as const;

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

interface Sample { wall: number; cpu: number; ratio: number; perM: Record<string, number>; insns: number }
const samples = new Map<string, Sample[]>();
const qemuWall = new Map<CorpusArch, number[]>();
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
      const wall = wallOf(() => {
        const m = runMttcgCounted(spec, ['--strategy', s]);
        if (m.status !== 0 || !m.stdout.equals(expected)) {
          throw new Error(`${arch} ${s}: status ${m.status}, output ${m.stdout.equals(expected) ? 'equal' : 'DIFFERS'}: ${m.stderr}`);
        }
        totals = m.totals;
        insns = counter(m, 'guestInsns');
      });
      const perM = Object.fromEntries(COUNTERS.map((k) => [k, ((totals[k] ?? 0) * 1e6) / insns]));
      const key = `${arch} ${s}`;
      samples.set(key, [...(samples.get(key) ?? []), { wall, cpu: (totals.vcpuCpuNs ?? NaN) / 1e9, ratio: wall / qw, perM, insns }]);
    }
    process.stderr.write(`round ${round + 1}/${repeat} ${arch} done\n`);
  }
}

console.log(`pigz -p ${threads} -c on ${kb} KB of generated text (harness/corpus.ts), ${repeat} interleaved rounds`);
console.log(`start: ${started}; end: ${hostLine()}`);
console.log(`peer: ${qemuVersion()}; every mttcg output equalled qemu-arm's`);
for (const arch of ARCHES) {
  console.log(`\n${arch} (${corpora.get(arch)!.versions.get('pigz') ?? '?'}; qemu-arm wall ${spread(qemuWall.get(arch)!, 's')})`);
  console.log('strategy  guest Minsn  LDREX/M  STREX/M  STREX fail/M  cmpxchg/M  cmpxchg fail/M  barriers/M  | wall s, vCPU CPU s, mttcg/qemu-arm wall');
  for (const s of STRATEGIES) {
    const xs = samples.get(`${arch} ${s}`)!;
    const m = (k: (typeof COUNTERS)[number]): string => median(xs.map((x) => x.perM[k]!)).toFixed(1).padStart(7);
    const fails = median(xs.map((x) => x.perM['atomic.strexFailMonitor']! + x.perM['atomic.strexFailValue']!)).toFixed(2).padStart(12);
    console.log(`${s.padEnd(9)} ${(median(xs.map((x) => x.insns)) / 1e6).toFixed(1).padStart(11)}  ${m('atomic.ldrex')}  ${m('atomic.strex')}  ${fails}  ${m('atomic.cas')}  ${median(xs.map((x) => x.perM['atomic.casFail']!)).toFixed(2).padStart(14)}  ${m('atomic.barriers')}   | ${spread(xs.map((x) => x.wall), 's', 1)}; ${spread(xs.map((x) => x.cpu), 's', 1)}; ${spread(xs.map((x) => x.ratio), 'x')}`);
  }
}
