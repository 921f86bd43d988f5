// System-level instructions a user-mode program may execute: SVC, the CP15
// registers Linux exposes (TPIDRURO, TPIDRURW and the CP15 barrier forms),
// PLD/PLI as no-ops.

import { BarrierKind } from '../ir/barrier-kind.js';
import { ExitReason } from '../ir/exit-reason.js';
import { Env } from './cpu-state.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

/** SVC #imm24: the syscall is made by the cpu loop; R15 is the next instruction. */
export function transSvc(ctx: ArmContext): boolean {
  ctx.exitSpecial(ExitReason.SYSCALL, ctx.nextPc);
  return true;
}

/** MRC/MCR p15 (f.L: 1 = MRC). Fields: opc1 o, CRn n, Rt t, opc2 p, CRm m. */
export function transCp15(ctx: ArmContext, f: Fields<'L' | 'm' | 'n' | 'o' | 'p' | 't'>): boolean {
  const key = `${f.o}:${f.n}:${f.m}:${f.p}`;
  const rt = f.t;
  const b = ctx.b;
  if (f.L) {
    if (rt === 15) return false;
    if (key === '0:13:0:3') ctx.setReg(rt, b.ldEnv(Env.TPIDRURO));
    else if (key === '0:13:0:2') ctx.setReg(rt, b.ldEnv(Env.TPIDRURW));
    else return false;
    return true;
  }
  switch (key) {
    case '0:13:0:2':
      if (rt === 15) return false;
      b.stEnv(Env.TPIDRURW, rt);
      return true;
    case '0:7:10:5': // CP15DMB
      b.emit('mb', BarrierKind.DMB);
      return true;
    case '0:7:10:4': // CP15DSB
      b.emit('mb', BarrierKind.DSB);
      return true;
    case '0:7:5:4': // CP15ISB
      b.emit('mb', BarrierKind.ISB);
      ctx.jumpDirect(ctx.nextPc);
      return true;
    default:
      return false;
  }
}

/** PLD, PLDW, PLI: hints with no architectural effect. */
export function transPreload(): boolean {
  return true;
}
