// --stats times helpers through a wrapper (exec/vcpu-timing.ts): whether a
// call is timed or not, every argument reaches the helper (the VFP exact
// path takes six; the wrapper once passed five).

import t from 'tap';
import { HELPER_EXACT_CALLS, HELPER_SAMPLE, VcpuTiming } from '../../../src/emulator/exec/vcpu-timing.js';

t.test('the timing wrapper passes all six arguments, timed calls included', async (t) => {
  const timing = new VcpuTiming(true);
  const f = timing.helper((a: number, b: number, c: number, d: number, e: number, g: number) => a + b + c + d + e + g);
  const results = new Set<number>();
  for (let i = 0; i < 2 * HELPER_SAMPLE; i++) results.add(f(1, 2, 3, 4, 5, 6));
  t.same([...results], [21]);
  t.ok(timing.helpers >= 0);
});

t.test('a short run: one slow call among few is counted once, not scaled by the sample rate', async (t) => {
  const timing = new VcpuTiming(true);
  let calls = 0;
  const slowMs = 20;
  const f = timing.helper(() => {
    // The sampled call (the HELPER_SAMPLE-th) is slow, as one that meets a garbage collection.
    if (++calls === HELPER_SAMPLE) for (const t0 = performance.now(); performance.now() - t0 < slowMs;);
  });
  for (let i = 0; i < HELPER_SAMPLE; i++) f();
  t.ok(timing.helpers >= slowMs, `the slow call is counted (${timing.helpers.toFixed(1)} ms)`);
  t.ok(timing.helpers < 5 * slowMs, `not ${HELPER_SAMPLE} times over (${timing.helpers.toFixed(1)} ms)`);
});

t.test('past the exact calls, one call in HELPER_SAMPLE is timed and scaled', async (t) => {
  const timing = new VcpuTiming(true);
  let calls = 0;
  const f = timing.helper(() => {
    calls++;
    // Only the first sampled call after the exact ones is slow: the estimate scales it.
    if (calls === HELPER_EXACT_CALLS + HELPER_SAMPLE) for (const t0 = performance.now(); performance.now() - t0 < 2;);
  });
  for (let i = 0; i < HELPER_EXACT_CALLS + HELPER_SAMPLE; i++) f();
  t.ok(timing.helpers >= 2 * HELPER_SAMPLE, `scaled (${timing.helpers.toFixed(1)} ms)`);
});

t.test('timing off: the helper itself', async (t) => {
  const timing = new VcpuTiming(false);
  const h = (x: number): number => x;
  t.equal(timing.helper(h), h);
});
