// A plain guest store exactly as translated code does it: the backend's
// inline SoftMMU fast path (emitStore) compiled on a harness vCPU, which
// writes memory directly on a TLB hit, runs the strategy's inline check on a
// tag whose only flag is TLB_EXCL, and calls the Mmu's slow path otherwise. Tests of store checks must go through it: a store that
// slips past AIE does so on this fast path.

import { compileTb, makeTbRuntime } from '../../../src/emulator/backend/compile-tb.js';
import { emitStore } from '../../../src/emulator/backend/emit-memory.js';
import { ANNOUNCED, announcesRuns, withdrawExpr } from '../../../src/emulator/backend/store-announcement.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';

export type InlineStore = (addr: number, value: number) => void;

export function inlineStore32(v: HarnessVcpu): InlineStore {
  const rt = makeTbRuntime(v.env, v.mmu, v.atomics.bindings, v.control.pending, v.control.pendingIndex);
  // A block of its own: a run's announcement is withdrawn at its end, as at a block's exit.
  const flagged = v.atomics.inlineFlaggedStore;
  const tail = announcesRuns(flagged) ? `${withdrawExpr(flagged)};\n` : '';
  const body = `let ti = 0, ${ANNOUNCED} = 0;\n${emitStore('R[1]', 'R[0]', MemOp.SIZE_32, 0x8000, '', flagged)}\n${tail}return 0;`;
  const tb = compileTb(rt, 'inline_store32', body);
  return (addr, value) => {
    v.env[0] = addr;
    v.env[1] = value;
    tb();
  };
}
