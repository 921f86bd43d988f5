// --stats times helpers through a wrapper (exec/vcpu-timing.ts): whether a
// call is timed or not, every argument reaches the helper (the VFP exact
// path takes six; the wrapper once passed five).

import t from 'tap';
import { HELPER_SAMPLE, VcpuTiming } from '../../../src/emulator/exec/vcpu-timing.js';

t.test('the timing wrapper passes all six arguments, timed calls included', async (t) => {
  const timing = new VcpuTiming(true);
  const f = timing.helper((a: number, b: number, c: number, d: number, e: number, g: number) => a + b + c + d + e + g);
  const results = new Set<number>();
  for (let i = 0; i < 2 * HELPER_SAMPLE; i++) results.add(f(1, 2, 3, 4, 5, 6));
  t.same([...results], [21]);
  t.ok(timing.helpers >= 0);
});

t.test('timing off: the helper itself', async (t) => {
  const timing = new VcpuTiming(false);
  const h = (x: number): number => x;
  t.equal(timing.helper(h), h);
});
