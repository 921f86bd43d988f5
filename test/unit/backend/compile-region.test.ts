// compileRegion gives a region the runtime bindings its body uses as its own
// constants (read once per call, so optimised code keeps them in registers
// instead of reading the factory's context after every slow-path call), and
// only those: the body sees the same values under the same names.

import t from 'tap';
import { compileRegion, type TbRuntime } from '../../../src/emulator/backend/compile-tb.js';

function runtime(bindings: Record<string, unknown>): TbRuntime {
  return { names: Object.keys(bindings), values: Object.values(bindings) } as unknown as TbRuntime;
}

t.test('the bindings a body uses are locals of the region function', async (t) => {
  const env = new Int32Array([5, 0]);
  const rt = runtime({ R: env, M32: new Int32Array(4), a_helper: (x: number) => x * 3, PI: 1 });
  const fn = compileRegion(rt, 'region_test', 'R[PI] = a_helper(R[0] + b); return n;');
  t.equal(fn(2, 17), 17, 'the body returns its budget argument');
  t.equal(env[1], 21, 'the body read R, PI and a_helper under their names');
  const source = fn.toString();
  t.match(source, /const R = R\$, a_helper = a_helper\$, PI = PI\$;/, 'used bindings become locals');
  t.notMatch(source, /M32 =/, 'an unused binding does not');
});

t.test('a body that uses no binding has no prologue', async (t) => {
  const fn = compileRegion(runtime({ R: new Int32Array(1) }), 'region_plain', 'return b + n;');
  t.equal(fn(3, 4), 7);
  t.notMatch(fn.toString(), /const/);
});
