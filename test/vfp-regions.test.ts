// The n-body workload (bench/vfp/nbody) in the hot tier: every region's
// JavaScript stays under the size V8 still optimises (exec/tb-gen.ts,
// MAX_REGION_SOURCE: n-body's 7-block region of 46,420 characters ran
// unoptimised before the bound), and the program's own checks pass with and
// without --stats, with the same output (the stats' helper timing once
// dropped the VFP exact path's status argument; test/unit/exec/vcpu-timing
// checks the wrapper itself).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, runMttcg } from '../harness/guest-runner.js';
import { MAX_REGION_SOURCE, regionCodeChars } from '../src/emulator/exec/tb-gen.js';

const NBODY = join(ROOT, 'bench', 'vfp', 'nbody.elf');
/** Warm-up and timed steps: short, but past a hot threshold of 50 for the inner loop. */
const ARGS = ['20', '300'];

t.test('n-body regions stay under the size bound; the run checks itself', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-vfp-regions-'));
  try {
    const r = runMttcg(NBODY, ARGS, ['--hot-threshold', '50', '--dump-js', dir]);
    t.equal(r.status, 0, r.stderr);
    t.match(r.stdout, /check=pass/);
    const files = readdirSync(dir);
    t.ok(files.some((f) => f.endsWith('_00010670.js')), `a region at the inner loop (${files.join(' ')})`);
    for (const f of files) {
      const n = regionCodeChars(readFileSync(join(dir, f), 'utf8'));
      t.ok(n <= MAX_REGION_SOURCE, `${f}: ${n} characters of code <= ${MAX_REGION_SOURCE}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('n-body under --stats: same output and checks as without', async (t) => {
  const plain = runMttcg(NBODY, ARGS, ['--hot-threshold', '50']);
  const stats = runMttcg(NBODY, ARGS, ['--hot-threshold', '50', '--stats']);
  t.equal(stats.status, 0, stats.stderr.slice(0, 400));
  const strip = (s: string): string => s.replace(/ ns=\d+ cpu_ns=\d+/, '');
  t.equal(strip(stats.stdout), strip(plain.stdout));
  t.match(stats.stdout, /check=pass/);
});
