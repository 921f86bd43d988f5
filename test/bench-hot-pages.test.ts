// Every committed benchmark guest keeps its hot functions (each workload's
// body, parallel-compute's run, bench.h's chunk loop bench_section) inside
// one guest page: qemu-arm chains direct jumps only within a page, so a hot
// loop that crosses a page boundary runs several times slower there and the
// comparison would measure where the linker put it (bench/guest/bench.h,
// BENCH_HOT). Reads the ELFs' symbol tables with the cross toolchain's nm
// (.ci/run installs it).

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../bench/lib/peers.js';

const NM = 'arm-linux-gnueabi-nm';
const PAGE = 4096;
/** The functions a benchmark's timed section loops in. */
const HOT = /^(?:[a-z_]*body|run|bench_section)$/;
const dir = join(ROOT, 'bench', 'guest');
const have = spawnSync(NM, ['--version'], { encoding: 'utf8' }).status === 0;

interface Sym { readonly name: string; readonly start: number; readonly size: number }

function hotFunctions(elf: string): Sym[] {
  const r = spawnSync(NM, ['-S', elf], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${NM} ${elf}: ${r.stderr}`);
  const out: Sym[] = [];
  for (const line of r.stdout.split('\n')) {
    const [addr, size, kind, name] = line.trim().split(/\s+/);
    if (name && kind && /^[tT]$/.test(kind) && HOT.test(name)) out.push({ name, start: parseInt(addr!, 16), size: parseInt(size!, 16) });
  }
  return out;
}

/** The page-crossing hot functions of `elf`, as text. */
function crossingPages(elf: string): string[] {
  return hotFunctions(elf)
    .filter((s) => Math.floor(s.start / PAGE) !== Math.floor((s.start + s.size - 1) / PAGE))
    .map((s) => `${s.name} at 0x${s.start.toString(16)}..0x${(s.start + s.size).toString(16)}`);
}

t.test('benchmark guests keep their hot functions inside one page', { skip: have ? false : `no ${NM}` }, async (t) => {
  const elfs = readdirSync(dir).filter((f) => f.endsWith('.elf'));
  t.ok(elfs.length >= 6, 'the benchmark guests are there');
  for (const f of elfs) {
    const elf = join(dir, f);
    const hot = hotFunctions(elf);
    // Only false-sharing and mmap-churn are not on bench.h's harness.
    if (!/^(false-sharing|mmap-churn)\.elf$/.test(f)) t.ok(hot.some((s) => s.name === 'bench_section'), `${f}: bench.h's chunk loop found`);
    t.same(crossingPages(elf), [], `${f}: no hot function crosses a page boundary`);
  }
});
