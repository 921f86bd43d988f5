// The kuser helpers Linux maps at 0xffff0000 (Documentation/arm/kernel_user_helpers).
// qemu-arm traps execution there; so do we: the translator emits the helper's
// semantics as IR (atomics as IR atomic ops) followed by a return to LR.

import { BarrierKind } from '../ir/barrier-kind.js';
import { MemOp } from '../ir/memop.js';
import { Env } from './cpu-state.js';
import type { ArmContext } from './translate-context.js';

export const KUSER_PAGE = 0xffff0000;
export const KUSER_CMPXCHG64 = 0xffff0f60;
export const KUSER_MEMORY_BARRIER = 0xffff0fa0;
export const KUSER_CMPXCHG = 0xffff0fc0;
export const KUSER_GET_TLS = 0xffff0fe0;
/** Number of 32-byte helper slots, as the kernel and qemu-arm report it. */
export const KUSER_HELPER_VERSION = 5;
export const KUSER_VERSION_ADDR = 0xffff0ffc;

export function isKuserPc(pc: number): boolean {
  return pc >>> 12 === KUSER_PAGE >>> 12;
}

/** r0 = 0 and C = 1 on success; r0 = -1 and C = 0 on failure (as qemu-arm). */
function setCmpxchgResult(ctx: ArmContext, ok: number): void {
  const b = ctx.b;
  ctx.setReg(0, b.binaryImm('sub', ok, 1));
  b.setGlobal(Env.CF, ok);
}

/** Translates a call to a helper entry point; false for any other kuser address. */
export function genKuserHelper(ctx: ArmContext, pc: number): boolean {
  const b = ctx.b;
  switch (pc >>> 0) {
    case KUSER_GET_TLS:
      ctx.setReg(0, b.ldEnv(Env.TPIDRURO));
      break;
    case KUSER_MEMORY_BARRIER:
      b.emit('mb', BarrierKind.KUSER);
      break;
    case KUSER_CMPXCHG: {
      // r0 = oldval, r1 = newval, r2 = ptr
      const ok = b.newTemp();
      b.emit('cmpxchg', ok, 2, 0, 1, MemOp.SIZE_32 | MemOp.ALIGN, pc | 0);
      setCmpxchgResult(ctx, ok);
      break;
    }
    case KUSER_CMPXCHG64: {
      // r0 = pointer to oldval, r1 = pointer to newval, r2 = ptr
      const ok = b.newTemp();
      b.emit('cmpxchg64', ok, 2, 0, 1, pc | 0);
      setCmpxchgResult(ctx, ok);
      break;
    }
    default:
      return false;
  }
  ctx.bxWritePc(b.copy(Env.LR));
  return true;
}
