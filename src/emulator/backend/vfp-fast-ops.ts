// The per-vCPU table VF of VFP functions that generated code calls
// (emit-vfp.ts): one function per variant (kind, precision, constant flags),
// compiled from emitVfpFunction on its first call, so a vCPU compiles only
// the few variants its program uses. Each is its own function literal, so
// V8 keeps separate type feedback per variant. Compiled regions and the
// interpreter's steps call the same functions.

import type { FpuHelper, FpuViews } from '../fpu/fpu-helper.js';
import { emitVfpFunction, VFP_VARIANTS, vfpVariantOf } from './emit-vfp.js';

/** (d, n, m, s): the `vfp` op's env words (or flags and fraction bits where its kind says) and the status word. */
export type VfpOp = (d: number, n: number, m: number, s: number) => void;

/** Compiles the source of a variant's function over the bindings (R, VD, VS, vh). */
export function compileVfpOp(env: Int32Array, views: FpuViews, vh: FpuHelper, index: number): VfpOp {
  const body = emitVfpFunction(vfpVariantOf(index));
  const factory = new Function('R', 'VD', 'VS', 'vh', `return function vfp_${index}(d, n, m, s) {\n${body}\n};`) as
    (...a: unknown[]) => VfpOp;
  return factory(env, views.f64, views.f32, vh);
}

/** The VF table of one vCPU: every slot starts as a stub that compiles its variant and takes its place. */
export function makeVfpOps(env: Int32Array, views: FpuViews, vh: FpuHelper): VfpOp[] {
  const table: VfpOp[] = [];
  for (let i = 0; i < VFP_VARIANTS; i++) {
    table.push((d, n, m, s) => {
      const op = compileVfpOp(env, views, vh, i);
      table[i] = op;
      op(d, n, m, s);
    });
  }
  return table;
}
