// The cpu loop's optimised code survives regions appearing and regions'
// rare exits (exec/cpu-loop-steps.ts): under V8's own deoptimisation trace,
// a 2-vCPU contended run (bench/guest/atomic-add: regions form at the hot
// threshold, lost races take exits first used long after) deoptimises
// neither the dispatcher (Vcpu.runUntilFault) nor the region tier
// (Vcpu.runRegions), and no cpu-loop function is thrown away for "wrong call
// target" (a region function other than the one its call site was
// specialised for). Before the split, runUntilFault was deoptimised in every
// such run (at the first region's call and at the region path's first use).
// The interpreted tier may be deoptimised once while a program starts (a TB
// cache path V8 allocated no feedback for); that is not checked here.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { CLI, ROOT } from '../../../bench/lib/peers.js';

const CPU_LOOP = /<JSFunction (runUntilFault|runRegions|runInterpreted|callStep|callRegion) /;

/** The bailout lines of V8's --trace-deopt for the cpu loop's functions. */
function cpuLoopBailouts(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.includes('[bailout') && CPU_LOOP.test(l));
}

t.test('atomic-add, 2 vCPUs x 100000: the dispatcher and the region tier are never deoptimised', (t) => {
  const elf = join(ROOT, 'bench', 'guest', 'atomic-add.elf');
  const r = spawnSync(process.execPath, ['--trace-deopt', CLI, 'run', '--strategy', 'cmpxchg', elf, '2', '100000'], {
    encoding: 'utf8', maxBuffer: 64 << 20,
  });
  t.equal(r.status, 0, `the guest's check passed (${r.stderr.slice(0, 200)})`);
  t.match(r.stdout, /^BENCH .*check=pass/m, `BENCH line`);
  const bailouts = cpuLoopBailouts(r.stdout);
  t.same(bailouts.filter((l) => /runUntilFault|runRegions/.test(l)), [], `runUntilFault and runRegions kept their code`);
  t.same(bailouts.filter((l) => l.includes('wrong call target')), [], `no cpu-loop call site changed target`);
  t.end();
});
