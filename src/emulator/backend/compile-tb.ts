// Turns emitted TB source into a function: `new Function` over the binding
// names, called once with this vCPU's values, returns the TB function. The
// vCPU's typed arrays and helpers become closure constants the JIT can see.

import { fpuViews, makeFpuHelper } from '../fpu/fpu-helper.js';
import { mulhs, mulhu, rbit } from '../ir/fold.js';
import type { Mmu } from '../softmmu/mmu.js';
import { CORE_BINDINGS } from './js-names.js';

export type TbFunction = () => number;

export interface TbRuntime {
  readonly names: readonly string[];
  readonly values: readonly unknown[];
}

export function makeTbRuntime(
  env: Int32Array, mmu: Mmu, strategyBindings: Readonly<Record<string, unknown>>, pending: Int32Array, pendingIndex: number,
): TbRuntime {
  const data = mmu.mem.data;
  const fpu = fpuViews(env);
  const core: Record<(typeof CORE_BINDINGS)[number], unknown> = {
    R: env,
    M8: new Uint8Array(data),
    M8s: new Int8Array(data),
    M16: new Uint16Array(data),
    M16s: new Int16Array(data),
    M32: new Int32Array(data),
    TR: mmu.tlb.read,
    TW: mmu.tlb.write,
    TA: mmu.tlb.addend,
    ld: (a: number, memop: number, pc: number) => mmu.ld(a, memop, pc),
    st: (a: number, v: number, memop: number, pc: number) => mmu.st(a, v, memop, pc),
    mulhu,
    mulhs,
    rbit,
    P: pending,
    PI: pendingIndex,
    VD: fpu.f64,
    VS: fpu.f32,
    vh: makeFpuHelper(env),
  };
  const names: string[] = [...CORE_BINDINGS];
  const values: unknown[] = CORE_BINDINGS.map((k) => core[k]);
  for (const [k, v] of Object.entries(strategyBindings)) {
    if (!/^a_[A-Za-z0-9_]+$/.test(k)) throw new Error(`internal: strategy binding name ${k} must match a_[A-Za-z0-9_]+`);
    names.push(k);
    values.push(v);
  }
  return { names, values };
}

export function compileTb(rt: TbRuntime, fnName: string, body: string): TbFunction {
  const factory = new Function(...rt.names, `return function ${fnName}() {\n${body}\n};`) as (...a: unknown[]) => TbFunction;
  return factory(...rt.values);
}
