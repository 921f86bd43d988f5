// Micro benchmark of AIE's store checks, in one thread, --aie-stores always:
// a plain 32-bit store through the backend's inline SoftMMU fast path
// (emitStore, compiled as translated code is) to
//   - a page whose frame has no AIE entry (the fast path: the filter's goal),
//   - a page with entries, to a chunk without one (slow path, tree miss),
//   - a chunk with an entry (slow path, lock, empty the set, unlock),
// and the same store under cmpxchg for reference (no store checks at all).
//
//   node dist/bench/micro/aie-store-checks.js [--max-time S] [--json FILE]

import type { StrategyOptions } from '../../src/emulator/atomics/strategy.js';
import { compileTb, makeTbRuntime } from '../../src/emulator/backend/compile-tb.js';
import { emitStore } from '../../src/emulator/backend/emit-memory.js';
import { MemOp } from '../../src/emulator/ir/memop.js';
import { PAGE_SIZE } from '../../src/emulator/softmmu/page-bits.js';
import { DATA_BASE, singleVcpu } from '../../harness/vcpu-harness.js';
import { runMicroSuite } from './micro-suite.js';

const W = MemOp.SIZE_32 | MemOp.ALIGN;
const LOCKED = DATA_BASE + 0x100; // has an entry (a LDREX/STREX ran there)
const NEIGHBOUR = DATA_BASE + 0x200; // same page, no entry
const ELSEWHERE = DATA_BASE + 2 * PAGE_SIZE; // a page without entries

function storeAt(strategy: string, options: StrategyOptions, addr: number): () => void {
  const v = singleVcpu(strategy, options);
  v.ops.ldrex(LOCKED, W);
  if (v.ops.strex(LOCKED, 1, 0, W) !== 0) throw new Error('set-up STREX failed');
  const rt = makeTbRuntime(v.env, v.mmu, v.atomics.bindings, v.control.pending, v.control.pendingIndex);
  const tb = compileTb(rt, 'plain_store', `let ti = 0;\n${emitStore('R[1]', 'R[0]', MemOp.SIZE_32, 0x8000)}\nreturn 0;`);
  v.env[0] = addr;
  return () => {
    v.env[1]++;
    tb();
  };
}

const always = { 'aie-stores': 'always' };
const cases: [string, () => void][] = [
  ['cmpxchg: plain store (reference)', storeAt('cmpxchg', {}, ELSEWHERE)],
  ['aie: store to a page without entries', storeAt('aie', always, ELSEWHERE)],
  ['aie: store to a chunk without entry, page with', storeAt('aie', always, NEIGHBOUR)],
  ['aie: store to a chunk with an entry', storeAt('aie', always, LOCKED)],
];
runMicroSuite('AIE store checks (--aie-stores always), one vCPU', (suite, maxTime) => {
  for (const [name, fn] of cases) suite.add(name, fn, { maxTime });
});
