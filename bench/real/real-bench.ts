// Real workloads (issue 15 items 4 and 5): Debian's armel pigz, xz and zstd
// from the corpus (scripts/fetch-corpus.sh) compressing a fixed input at 1,
// 2 and 4 threads under mttcg (each strategy), qemu-arm -L and the native
// x86-64 build of the same package version, all in the same rounds (peers
// interleaved, so load drifts hit them alike). Per point: wall time and the
// CPU time of the process tree (/proc/self/stat cutime+cstime around each
// run), median with min..max; ratios against qemu-arm and native. Every
// output is compared with qemu-arm's bytes: a strategy whose output differed
// would be a wrong result on a real program (the debate's "ABA is not a
// problem in practice" is judged on these). One more mttcg run per point with
// --stats-json gives what stands between mttcg and qemu-arm: guest
// instructions, the translation and compilation share of the vCPU time, and
// kuser cmpxchg calls (armel's atomics) per million instructions; and
// kuser-cost.elf measures one kuser cmpxchg, one LDREX/STREX and a plain
// increment under each peer.
//
//   node dist/bench/real/real-bench.js [--bytes 2097152] [--repeat 3] [--threads 1,2,4]
//     [--programs pigz,xz,zstd] [--strategies cmpxchg,aie,tlbexcl,stop-the-world] [--json FILE]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCorpus, nativeCommand, writeCorpusInput } from '../../harness/corpus.js';
import { COMPRESSORS, type Compressor } from '../../harness/real-programs.js';
import { CLI, ROOT } from '../lib/peers.js';
import type { RealPoint, RealProfile, RealResults } from './real-results.js';
import { hostLine, median, spread } from '../lib/figures.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const bytes = Number(opt('bytes', String(2 << 20)));
const repeat = Number(opt('repeat', '3'));
const threadCounts = opt('threads', '1,2,4').split(',').map(Number);
const programs = opt('programs', 'pigz,xz,zstd').split(',');
const strategies = opt('strategies', 'cmpxchg,aie,tlbexcl,stop-the-world').split(',');
const jsonFile = opt('json', '');

const corpus = findCorpus();
if (!corpus) {
  console.log('the corpus is not fetched: sh scripts/fetch-corpus.sh');
  process.exit(0);
}
const sysroot = corpus.sysroot;
const dir = mkdtempSync(join(tmpdir(), 'mttcg-real-bench-'));
writeCorpusInput(join(dir, 'input.txt'), bytes);

/** CPU seconds of waited-for children so far (user + system), from /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime (fields 16, 17), clock ticks
}

interface Sample { wall: number; cpu: number; out: Buffer; stderr: string; status: number }

function runOnce(cmd: string, args: readonly string[]): Sample {
  const c0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dir, maxBuffer: 512 << 20, env: { PATH: '/usr/bin:/bin', LANG: 'C' } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wall, cpu: childCpuSeconds() - c0, out: r.stdout, stderr: String(r.stderr), status: r.status ?? 128 };
}

interface Peer { readonly name: string; command(c: Compressor, threads: number): [string, string[]] | null }

const mttcgPeer = (strategy: string, extra: string[] = []): Peer => ({
  name: `mttcg ${strategy}`,
  command: (c, n) => [process.execPath, [CLI, 'run', '--clean-env', '-L', sysroot, '--allow-dir', dir, '--strategy', strategy,
    ...extra, join(sysroot, c.program), ...c.compress(n, 'input.txt')]],
});
const peers: Peer[] = [
  ...strategies.map((s) => mttcgPeer(s)),
  { name: 'qemu-arm', command: (c, n) => ['qemu-arm', ['-L', sysroot, join(sysroot, c.program), ...c.compress(n, 'input.txt')]] },
  {
    name: 'native',
    command: (c, n) => {
      const nat = nativeCommand(corpus, c.program);
      return nat ? [nat.file, [...nat.prefix, ...c.compress(n, 'input.txt')]] : null;
    },
  },
];

type Point = { -readonly [K in keyof RealPoint]: RealPoint[K] extends readonly (infer E)[] ? E[] : RealPoint[K] };
const points: Point[] = [];
const loads: number[] = [loadavg()[0]!];

const host = hostLine();
const command = `node dist/bench/real/real-bench.js --bytes ${bytes} --repeat ${repeat} --threads ${threadCounts.join(',')} ` +
  `--programs ${programs.join(',')} --strategies ${strategies.join(',')}`;
const corpusLine = `Debian armel ${[...corpus.versions].filter(([p]) => ['pigz', 'xz-utils', 'zstd'].includes(p)).map(([p, v]) => `${p} ${v}`).join(', ')}`;
console.log(host);
console.log(`command: ${command}`);
console.log(`corpus: ${corpusLine}; input ${bytes} bytes`);

for (const c of COMPRESSORS.filter((x) => programs.includes(x.name))) {
  for (const n of threadCounts) {
    const reference = runOnce('qemu-arm', ['-L', sysroot, join(sysroot, c.program), ...c.compress(n, 'input.txt')]).out;
    const row = peers.map((p) => ({ program: c.name, threads: n, peer: p.name, wall: [], cpu: [], identical: true, failures: [] } as Point));
    for (let r = 0; r < repeat; r++) {
      peers.forEach((p, i) => {
        const cmd = p.command(c, n);
        if (!cmd) return;
        const s = runOnce(cmd[0], cmd[1]);
        const pt = row[i]!;
        if (s.status !== 0) pt.failures.push(`exit ${s.status}: ${s.stderr.trim().slice(0, 200)}`);
        else {
          pt.wall.push(s.wall);
          pt.cpu.push(s.cpu);
          if (!s.out.equals(reference)) pt.identical = false;
        }
      });
      loads.push(loadavg()[0]!);
    }
    points.push(...row.filter((p) => p.wall.length > 0 || p.failures.length > 0));
    const q = row.find((p) => p.peer === 'qemu-arm')!;
    const nat = row.find((p) => p.peer === 'native')!;
    console.log(`\n${c.name} ${n} thread${n > 1 ? 's' : ''}:`);
    for (const p of row) {
      if (p.wall.length === 0 && p.failures.length === 0) continue;
      const vsQ = q.wall.length ? ` x${(median(p.wall) / median(q.wall)).toFixed(1)} qemu-arm` : '';
      const vsN = nat.wall.length ? ` x${(median(p.wall) / median(nat.wall)).toFixed(1)} native` : '';
      console.log(`  ${p.peer.padEnd(20)} wall ${spread(p.wall, 's')}; cpu ${spread(p.cpu, 's')};${vsQ}${vsN}; ` +
        `${p.identical ? 'output = qemu-arm\'s' : 'OUTPUT DIFFERS from qemu-arm\'s'}${p.failures.length ? `; FAILED ${p.failures.length}: ${p.failures[0]}` : ''}`);
    }
  }
}

/** What one mttcg run spends where (--stats-json): translation share, kuser cmpxchg per million guest instructions. */
const profiles: RealProfile[] = [];
console.log('\nwhere the mttcg time goes (one --stats-json run each; shares of the vCPUs\' run time, which includes waits):');
for (const c of COMPRESSORS.filter((x) => programs.includes(x.name))) {
  for (const n of threadCounts) {
    const statsFile = join(dir, 'stats.json');
    const [cmd, args] = mttcgPeer(strategies[0]!, ['--stats-json', statsFile]).command(c, n)!;
    if (runOnce(cmd, args).status !== 0) continue;
    const t = JSON.parse(readFileSync(statsFile, 'utf8')).totals as Record<string, number>;
    const run = t['time.runMs']!;
    const p: RealProfile = {
      program: c.name, threads: n, strategy: strategies[0]!, insns: t.guestInsns!,
      translatePct: 100 * t['time.translateMs']! / run, compilePct: 100 * t['time.compileMs']! / run, codePct: 100 * t['time.codeMs']! / run,
      casPerMInsn: 1e6 * t['atomic.cas']! / t.guestInsns!, cpuSeconds: t.vcpuCpuNs! / 1e9,
    };
    profiles.push(p);
    console.log(`  ${c.name} ${n}T: ${(p.insns / 1e6).toFixed(1)} M guest insns, vCPU cpu ${p.cpuSeconds.toFixed(2)} s; translate ${p.translatePct.toFixed(1)}%, ` +
      `compile ${p.compilePct.toFixed(1)}%, guest code ${p.codePct.toFixed(1)}%; kuser cmpxchg ${p.casPerMInsn.toFixed(1)} per M insns`);
  }
}

/** One kuser cmpxchg / LDREX-STREX / plain increment, ns per op (kuser-cost.elf), under each peer. */
const kuserElf = join(ROOT, 'bench', 'real', 'kuser-cost.elf');
const kuser: Record<string, Record<string, number[]>> = {};
console.log('\none increment on one thread, ns per op (kuser-cost.elf 2000000, the second round of each mode):');
const kuserPeers: [string, string, string[]][] = [
  ...strategies.map((s): [string, string, string[]] => [`mttcg ${s}`, process.execPath, [CLI, 'run', '--strategy', s, kuserElf, '2000000']]),
  ['qemu-arm', 'qemu-arm', [kuserElf, '2000000']],
];
for (let r = 0; r < repeat; r++) {
  for (const [name, cmd, args] of kuserPeers) {
    const s = runOnce(cmd, args);
    const lines = String(s.out).trim().split('\n').slice(3);
    for (const l of lines) {
      const m = /mode=(\w+) ops=(\d+) ns=(\d+)/.exec(l);
      if (!m) continue;
      ((kuser[name] ??= {})[m[1]!] ??= []).push(Number(m[3]) / Number(m[2]));
    }
  }
}
for (const [name, modes] of Object.entries(kuser)) {
  const f = (m: string): string => spread(modes[m] ?? [], 'ns', 0);
  const extra = median(modes.kuser ?? [0]) - median(modes.plain ?? [0]);
  console.log(`  ${name.padEnd(20)} plain ${f('plain')}; ldrex ${f('ldrex')}; kuser ${f('kuser')}; kuser - plain ${extra.toFixed(0)} ns`);
}

console.log(`\nload average (1 min) during the run: ${spread(loads, '', 1)}`);
if (jsonFile) {
  const results: RealResults = { kind: 'real-programs', host, command, corpus: corpusLine, bytes, repeat, loads, points, profiles, kuser };
  writeFileSync(jsonFile, JSON.stringify(results, null, 1));
  console.log(`results: ${jsonFile}`);
}
rmSync(dir, { recursive: true, force: true });
