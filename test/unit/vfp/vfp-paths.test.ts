// The three ways mttcg computes a VFP instruction agree bit for bit, flags
// included: the fast path the backend compiles per variant (backend/emit-vfp.ts),
// the double tier of the exact path (fpu/fpu-helper-double.ts) and the
// softfloat (fpu/fpu-helper.ts, which conf-vfp and the random tester check
// against qemu-arm). Operands and FPSCR values are random, biased to special
// values.

import t from 'tap';
import { createEnv, Env } from '../../../src/emulator/arm/cpu-state.js';
import { dregSlot, sregSlot } from '../../../src/emulator/arm/vfp/vfp-state.js';
import { ConvFlag, VfpKind } from '../../../src/emulator/fpu/fp-op.js';
import { fpuViews, helperVfp, makeFpuHelper } from '../../../src/emulator/fpu/fpu-helper.js';
import { helperVfpDouble } from '../../../src/emulator/fpu/fpu-helper-double.js';
import { emitVfp, VFP_VARIANTS, vfpVariantIndex, vfpVariantOf } from '../../../src/emulator/backend/emit-vfp.js';
import { compileVfpOp, makeVfpOps } from '../../../src/emulator/backend/vfp-fast-ops.js';
import { randomDoubleBits, randomFloatBits, randomFpscr } from '../../../harness/random-diff/vfp-values.js';
import { SeededRandom } from '../../../harness/seeded-random.js';

/** [kind, dp, n] triples covering every kind the backend has a fast path or helper call for. */
const OPS: [VfpKind, number, number][] = [];
for (const dp of [0, 1]) {
  for (const k of [VfpKind.ADD, VfpKind.SUB, VfpKind.MUL, VfpKind.NMUL, VfpKind.DIV, VfpKind.MLA, VfpKind.MLS, VfpKind.NMLA, VfpKind.NMLS, VfpKind.SQRT]) {
    OPS.push([k, dp, 0]);
  }
  OPS.push([VfpKind.CMP, dp, 0], [VfpKind.CMP, dp, 1], [VfpKind.CVT_FF, dp, 0]);
  for (const f of [0, ConvFlag.SIGNED]) OPS.push([VfpKind.CVT_IF, dp, f]);
  for (const f of [0, 1, 2, 3]) OPS.push([VfpKind.CVT_FI, dp, f]);
  for (const f of [0, 1, 4, 5]) OPS.push([VfpKind.CVT_XF, dp, f], [VfpKind.CVT_FX, dp, f]);
}

function fillRegs(rng: SeededRandom, env: Int32Array): void {
  for (let d = 0; d < 4; d++) {
    if (rng.below(2)) {
      const b = randomDoubleBits(rng);
      env[dregSlot(d)] = Number(b & 0xffffffffn) | 0;
      env[dregSlot(d) + 1] = Number(b >> 32n) | 0;
    } else {
      env[dregSlot(d)] = randomFloatBits(rng);
      env[dregSlot(d) + 1] = randomFloatBits(rng);
    }
  }
}

/** Register operands for a kind, as env words: registers among d0-d3 (s0-s7), so that they alias. */
function operands(rng: SeededRandom, kind: VfpKind, dp: number): [number, number, number] {
  const sw = (): number => sregSlot(rng.below(8));
  const dw = (): number => dregSlot(rng.below(4));
  const r = dp ? dw : sw;
  if (kind === VfpKind.CMP && rng.below(4) === 0) return [r(), 0, -1];
  if (kind === VfpKind.CVT_FF) return dp ? [dw(), 0, sw()] : [sw(), 0, dw()];
  if (kind === VfpKind.CVT_IF) return [r(), 0, sw()];
  if (kind === VfpKind.CVT_FI) return [sw(), 0, r()];
  if (kind === VfpKind.CVT_XF || kind === VfpKind.CVT_FX) return [r(), 0, rng.below(33)];
  return [r(), r(), r()];
}

const words = (env: Int32Array): number[] => [...env.subarray(Env.VFP_REGS, Env.FPEXC)];

t.test('fast path + exact path = softfloat reference', async (t) => {
  const rng = new SeededRandom(0x5eed1);
  let cases = 0;
  let inline = 0;
  for (const [kind, dp, nflags] of OPS) {
    for (let i = 0; i < 300; i++) {
      const env = createEnv();
      fillRegs(rng, env);
      env[Env.FPSCR] = randomFpscr(rng) | 0;
      const ref = env.slice();
      const [d, n0, m] = operands(rng, kind, dp);
      const n = kind === VfpKind.CMP || kind >= VfpKind.CVT_IF ? nflags : n0;
      const args = [kind, dp, d, n, m, Env.FPSCR];
      const helper = makeFpuHelper(env);
      let calls = 0;
      const views = fpuViews(env);
      const op = compileVfpOp(env, views, (...a: number[]) => {
        calls++;
        helper(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!);
      }, vfpVariantIndex(args));
      op(d, n, m, Env.FPSCR);
      helperVfp(ref, kind, dp, d, n, m, Env.FPSCR);
      const got = words(env);
      const want = words(ref);
      if (got.join() !== want.join()) {
        t.fail(`kind ${kind} dp ${dp} (${args.join(',')}): fpscr in ${(ref[Env.FPSCR]! >>> 0).toString(16)}\n` +
          `got  ${got.map((w) => (w >>> 0).toString(16)).join(' ')}\nwant ${want.map((w) => (w >>> 0).toString(16)).join(' ')}`);
        return;
      }
      cases++;
      if (calls === 0) inline++;
    }
  }
  t.pass(`${cases} cases agree`);
  t.ok(inline > cases / 10, `the fast path handled ${inline} of them`);
  t.ok(inline < cases, 'the exact path handled the rest');
});

t.test('variants: the index keeps kind, precision and flags; the call holds numbers only', async (t) => {
  const seen = new Map<number, string>();
  for (const [kind, dp, flags] of OPS) {
    for (const m of kind === VfpKind.CMP ? [-1, 4] : [4]) {
      const args = [kind, dp, 2, flags, m, Env.FPSCR];
      const k = vfpVariantIndex(args);
      const v = vfpVariantOf(k);
      const what = `${kind}/${dp}/${flags}/${m < 0}`;
      t.same([v.kind, v.dp, v.flags, v.zero], [kind, dp, kind === VfpKind.CMP || kind >= VfpKind.CVT_IF ? flags : 0, m < 0], what);
      t.ok(k >= 0 && k < VFP_VARIANTS, `${what}: index ${k} in the table`);
      t.ok(!seen.has(k) || seen.get(k) === what, `${what}: index ${k} not shared with ${seen.get(k)}`);
      seen.set(k, what);
      t.match(emitVfp(args), /^VF\[\d+\]\(\d+, \d+, (\d+|\(-1\)), \d+\);$/);
    }
  }
});

t.test('VF table: a slot compiles its variant on first call and then holds it', async (t) => {
  const env = createEnv();
  const views = fpuViews(env);
  const table = makeVfpOps(env, views, makeFpuHelper(env));
  const k = vfpVariantIndex([VfpKind.ADD, 1, dregSlot(0), dregSlot(1), dregSlot(2), Env.FPSCR]);
  const stub = table[k];
  views.f64[dregSlot(1) >> 1] = 1.5;
  views.f64[dregSlot(2) >> 1] = 2.25;
  table[k]!(dregSlot(0), dregSlot(1), dregSlot(2), Env.FPSCR);
  t.equal(views.f64[dregSlot(0) >> 1], 3.75);
  t.not(table[k], stub, 'the stub gave way to the compiled variant');
  t.match(table[k]!.name, /^vfp_\d+$/);
});

t.test('double tier = softfloat wherever the double tier accepts', async (t) => {
  const rng = new SeededRandom(0x5eed2);
  let accepted = 0;
  let total = 0;
  const kinds = [VfpKind.ADD, VfpKind.SUB, VfpKind.MUL, VfpKind.NMUL, VfpKind.DIV, VfpKind.MLA, VfpKind.MLS, VfpKind.NMLA, VfpKind.NMLS, VfpKind.SQRT];
  for (let i = 0; i < 40000; i++) {
    const env = createEnv();
    const views = fpuViews(env);
    // Mostly ordinary numbers (what this tier is for), some specials.
    for (let r = 0; r < 4; r++) {
      if (rng.below(4)) {
        views.f64[Env.VFP_REGS / 2 + r] = (rng.next() / 2 ** 32 - 0.5) * 2 ** (rng.below(80) - 40);
        if (rng.below(3) === 0) views.f32[Env.VFP_REGS + 2 * r] = (rng.next() / 2 ** 32) * 2 ** (rng.below(40) - 20);
      } else {
        env[dregSlot(r)] = Number(randomDoubleBits(rng) & 0xffffffffn) | 0;
        env[dregSlot(r) + 1] = rng.next() | 0;
      }
    }
    env[Env.FPSCR] = ((rng.below(4) << 22) | (rng.below(2) << 24) | (rng.below(2) << 25) | (rng.below(2) ? 0x10 : 0)) >>> 0 | 0;
    const ref = env.slice();
    let kind: VfpKind;
    let n: number;
    if (rng.below(6) === 0) {
      kind = VfpKind.CVT_FI;
      n = rng.below(4);
    } else {
      kind = kinds[rng.below(kinds.length)]!;
      n = rng.below(8);
    }
    const dp = rng.below(2);
    const word = (r: number): number => (dp ? dregSlot(r % 4) : sregSlot(r % 8));
    const d = kind === VfpKind.CVT_FI ? sregSlot(rng.below(8)) : word(rng.below(8));
    const m = word(rng.below(8));
    if (kind !== VfpKind.CVT_FI) n = word(n);
    total++;
    if (!helperVfpDouble(env, views, kind, dp, d, n, m, Env.FPSCR)) {
      if (words(env).join() !== words(ref).join()) {
        t.fail(`kind ${kind}: the double tier declined but changed the state`);
        return;
      }
      continue;
    }
    accepted++;
    helperVfp(ref, kind, dp, d, n, m, Env.FPSCR);
    if (words(env).join() !== words(ref).join()) {
      t.fail(`kind ${kind} dp ${dp} d${d} n${n} m${m} fpscr ${(ref[Env.FPSCR]! >>> 0).toString(16)}: ` +
        `${words(env).map((w) => (w >>> 0).toString(16)).join(' ')} != ${words(ref).map((w) => (w >>> 0).toString(16)).join(' ')}`);
      return;
    }
  }
  t.ok(accepted > total / 2, `double tier accepted ${accepted} of ${total} and agreed each time`);
});
