// The per-vCPU runtime of generated code, and turning emitted source into
// functions: `new Function` over the binding names, called once with this
// vCPU's values. The vCPU's typed arrays and helpers become closure constants
// the JIT can see. The same bindings serve compiled regions, the interpreter's
// compiled atomic steps and the test harnesses' hand-written bodies.

import { fpuViews, makeFpuHelper } from '../fpu/fpu-helper.js';
import { mulhs, mulhu, rbit } from '../ir/fold.js';
import { HDR_CODE_EPOCH } from '../softmmu/guest-memory.js';
import type { Mmu } from '../softmmu/mmu.js';
import type { Step, StepRuntime } from './interp-ops.js';
import { CORE_BINDINGS } from './js-names.js';
import { makeVfpOps } from './vfp-fast-ops.js';

export type TbFunction = () => number;
/** A compiled region: (entry block index, block-transition budget) -> exit code. */
export type RegionFunction = (entry: number, budget: number) => number;

/** Counters compiled regions add to when they return: [guest instructions]. */
export const REGION_INSNS = 0;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Helper = (...args: any[]) => any;
/** Wraps each helper generated code calls (SoftMMU slow paths, strategy helpers), e.g. to time them. */
export type HelperWrap = <H extends Helper>(f: H) => H;

export interface TbRuntime {
  readonly names: readonly string[];
  readonly values: readonly unknown[];
  /** What the interpreter's steps use (the frame is env followed by temp slots). */
  readonly steps: StepRuntime;
  /** Env slots at the start of the frame. */
  readonly envSlots: number;
  /** Index of the code epoch in the H binding. */
  readonly epochIndex: number;
  readonly regionCounters: Float64Array;
  /** The strategy's contended values for some bindings (AtomicLowering.contendedBindings), read by training calls. */
  readonly contended?: Readonly<Record<string, unknown>>;
}

/**
 * The bindings of one vCPU. The interpreter's frame F is env's buffer from
 * env's first slot on: temps live after the env slots (see exec/vcpu-env.ts).
 */
export function makeTbRuntime(
  env: Int32Array, mmu: Mmu, strategyBindings: Readonly<Record<string, unknown>>, pending: Int32Array, pendingIndex: number,
  helperWrap: HelperWrap = (f) => f, contended: Readonly<Record<string, unknown>> = {},
): TbRuntime {
  const data = mmu.mem.data;
  const F = new Int32Array(env.buffer, env.byteOffset, (env.buffer.byteLength - env.byteOffset) >> 2);
  const ld = helperWrap((a: number, memop: number, pc: number): number => mmu.ld(a, memop, pc));
  const st = helperWrap((a: number, v: number, memop: number, pc: number): void => mmu.st(a, v, memop, pc));
  const regionCounters = new Float64Array(1);
  const fpu = fpuViews(env);
  // The exact path is a helper (timed as one); the variants' fast paths are guest code.
  const vh = helperWrap(makeFpuHelper(env));
  const steps: StepRuntime = {
    F,
    M8: new Uint8Array(data),
    M8s: new Int8Array(data),
    M16: new Uint16Array(data),
    M16s: new Int16Array(data),
    M32: new Int32Array(data),
    TR: mmu.tlb.read,
    TW: mmu.tlb.write,
    TA: mmu.tlb.addend,
    ld,
    st,
    VF: makeVfpOps(env, fpu, vh),
  };
  const core: Record<(typeof CORE_BINDINGS)[number], unknown> = {
    ...steps,
    R: env,
    mulhu,
    mulhs,
    rbit,
    P: pending,
    PI: pendingIndex,
    H: mmu.mem.header,
    X: regionCounters,
    VD: fpu.f64,
    VS: fpu.f32,
    vh,
  };
  const names: string[] = [...CORE_BINDINGS];
  const values: unknown[] = CORE_BINDINGS.map((k) => core[k]);
  for (const [k, v] of Object.entries(strategyBindings)) {
    if (!/^a_[A-Za-z0-9_]+$/.test(k)) throw new Error(`internal: strategy binding name ${k} must match a_[A-Za-z0-9_]+`);
    names.push(k);
    values.push(typeof v === 'function' ? helperWrap(v as Helper) : v);
  }
  for (const k of Object.keys(contended)) {
    if (!(k in strategyBindings)) throw new Error(`internal: contended binding ${k} is not a strategy binding`);
  }
  return { names, values, steps, envSlots: env.length, epochIndex: HDR_CODE_EPOCH, regionCounters, contended };
}

/** A function running `body` (which returns a number) over the bindings. */
export function compileTb(rt: TbRuntime, fnName: string, body: string): TbFunction {
  const factory = new Function(...rt.names, `return function ${fnName}() {\n${body}\n};`) as (...a: unknown[]) => TbFunction;
  return factory(...rt.values);
}

/** Marks the factory's parameters, which a region copies into locals of the binding names. */
const BOUND_SUFFIX = '$';

/**
 * A region's function. The parentheses make V8 compile it eagerly here
 * rather than at its first call, so translation time is measured as such.
 *
 * The bindings the body uses become the function's own constants, read once
 * per call: as the factory's parameters they are context slots, which
 * optimised code reads again (with each typed array's data pointer and
 * length) after every call a slow path might make; as locals they stay in
 * registers across the region's loops.
 */
export function compileRegion(rt: TbRuntime, fnName: string, body: string): RegionFunction {
  return regionFactory(rt, fnName, body)(...rt.values);
}

/** A region's function and its training entry (compileRegionPair). */
export interface RegionPair {
  readonly run: RegionFunction;
  /** The same function over the strategy's contended bindings (TbRuntime.contended), or null when it has none. */
  readonly train: RegionFunction | null;
}

/**
 * A region's function and a training entry to the same function: called
 * with a third argument, the region reads the strategy's contended
 * bindings instead of its own (one closure, so V8 keeps specialising the
 * optimised code to its constant bindings; the TLB and the other bindings
 * stay constants). Under those values the strategy's written-out checks
 * take their fallbacks, so training calls give the fallbacks type feedback
 * and TurboFan's code for the region has no soft deoptimisation
 * ("Insufficient type feedback") there, which a contended path first taken
 * much later otherwise pays for with a deoptimisation and a recompilation
 * (exec/region-training.ts).
 */
export function compileRegionPair(rt: TbRuntime, fnName: string, body: string): RegionPair {
  const contended = rt.contended ?? {};
  const names = Object.keys(contended).filter((name) => new RegExp(`\\b${name}\\b`).test(body));
  if (names.length === 0) return { run: compileRegion(rt, fnName, body), train: null };
  const fn = regionFactory(rt, fnName, body, names)(...rt.values, ...names.map((name) => contended[name])) as
    (b: number, n: number, t?: number) => number;
  return { run: fn, train: (b, n) => fn(b, n, 1) };
}

/** The factory of a region function; with `contended` names, a third argument selects their `_twin` values. */
function regionFactory(rt: TbRuntime, fnName: string, body: string, contended: readonly string[] = []): (...a: unknown[]) => RegionFunction {
  const used = rt.names.filter((name) => new RegExp(`\\b${name}\\b`).test(body));
  const bind = (name: string): string =>
    contended.includes(name) ? `t ? ${name}_twin${BOUND_SUFFIX} : ${name}${BOUND_SUFFIX}` : `${name}${BOUND_SUFFIX}`;
  const locals = used.length === 0 ? '' : `const ${used.map((name) => `${name} = ${bind(name)}`).join(', ')};\n`;
  const params = [...rt.names, ...contended.map((name) => `${name}_twin`)].map((name) => `${name}${BOUND_SUFFIX}`);
  return new Function(...params, `return (function ${fnName}(b, n${contended.length ? ', t' : ''}) {\n${locals}${body}\n});`) as
    (...a: unknown[]) => RegionFunction;
}

/** An interpreter step from a statement over the bindings and the frame F. */
export function compileStep(rt: TbRuntime, statement: string): Step {
  const factory = new Function(...rt.names, `return (() => {\n${statement}\nreturn -1;\n});`) as (...a: unknown[]) => Step;
  return factory(...rt.values);
}
