// aie's runs over a region's forward edges (backend/store-announcement.ts,
// `acrossForwardEdges`): a run of plain stores to a flagged frame goes on
// from one block into a later block of the same region without a new check,
// and is withdrawn at the back-edge and at the exit. A real two-TB region
// (A32, translated and emitted as a vCPU does) runs on a harness vCPU.

import t from 'tap';
import { statOf as stat, twoVcpusAfterPairs, wordAt as word, X } from '../store-run-blocks.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared, HAZARD_STRIDE } from '../../../src/aie/aie-shared.js';
import { A32_GLOBALS } from '../../../src/emulator/arm/cpu-state.js';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import { compileRegion, makeTbRuntime } from '../../../src/emulator/backend/compile-tb.js';
import { emitRegion, type RegionBlock } from '../../../src/emulator/backend/emit-region.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import { optimize } from '../../../src/emulator/ir/optimize.js';
import { HDR_CODE_EPOCH } from '../../../src/emulator/softmmu/guest-memory.js';

const PC0 = 0x10000;
const PC1 = 0x10100;
/**
 * Block 0: str r3, [r10]; b PC1 (a forward edge).
 * Block 1: str r3, [r10, #4]; subs r1, r1, #1; bne PC0 (the back-edge), else leave the region at PC1 + 12.
 */
const CODE = new Map<number, number>([
  [PC0, 0xe58a3000], [PC0 + 4, 0xea00003d],
  [PC1, 0xe58a3004], [PC1 + 4, 0xe2511001], [PC1 + 8, 0x1affffbc],
]);

/** The two blocks as one region function on vCPU v (every goto_tb to PC0 or PC1 stays in the region). */
function loopRegion(v: HarnessVcpu): (budget: number) => number {
  const pcs = [PC0, PC1];
  const blocks: RegionBlock[] = pcs.map((pc) => {
    const ir = translateBlock(pc, 0, { fetch32: (a) => CODE.get(a) ?? null, fetch16: () => null }, 512);
    const ops = removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, ir.builder.globals);
    const targets: (number | undefined)[] = [];
    for (const op of ops) {
      if (op.opc !== 'goto_tb') continue;
      const k = pcs.indexOf(op.args[1]!);
      targets[op.args[0]!] = k < 0 ? undefined : k;
    }
    const nInsns = ops.filter((op) => op.opc === 'insn_start').length;
    return { pc, key: pc, ops, nInsns, mnemonics: ir.mnemonics, targets, indirectTargets: [] };
  });
  const code = emitRegion(blocks, { globals: A32_GLOBALS, atomics: v.atomics, epochIndex: HDR_CODE_EPOCH, keyOf: (pc) => pc, withComments: true });
  const fn = compileRegion(makeTbRuntime(v.env, v.mmu, v.atomics.bindings, v.control.pending, v.control.pendingIndex), 'loop', code.source);
  return (budget) => fn(0, budget);
}

function hazard(v: HarnessVcpu): number {
  const shared = new AieShared(v.buffers.strategy!, parseAieOptions(v.buffers.options));
  return Atomics.load(shared.words, shared.hazardsWord + v.slot * HAZARD_STRIDE);
}

t.test('a run goes on over a forward edge: one check per pass of the loop, withdrawn at the back-edge and the exit', async (t) => {
  const { turns, a } = twoVcpusAfterPairs('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });
  turns.on(0, () => {
    const run = loopRegion(a);
    a.env[10] = X;
    a.env[3] = 5;
    a.env[1] = 1;
    run(1000); // fills the flagged TLB entry through the slow path
    const checks = stat(a, 'unlockedStores');
    const slow = a.mmu.slowStores;
    a.env[3] = 6;
    a.env[1] = 3;
    run(1000);
    t.equal(a.env[15], PC1 + 12, 'the loop ran out and left the region');
    t.equal(a.mmu.slowStores, slow, 'no slow path');
    // Block 1's store rides on block 0's check; the back-edge withdraws, so each pass makes one check.
    t.equal(stat(a, 'unlockedStores'), checks + 3, 'three passes, three checks (six without the forward edge, one without the back-edge\'s withdrawal)');
    t.same([word(a, X), word(a, X + 4)], [6, 6], 'both stores landed');
    t.equal(hazard(a), 0, 'withdrawn when the region exits');
  });
});

t.test('a reservation made while the loop is not running sends the next pass\'s run down the locked path', async (t) => {
  const { turns, a, b } = twoVcpusAfterPairs('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const run = turns.on(0, () => loopRegion(a));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[1] = 1;
    run(1000);
  });
  turns.on(1, () => b.ops.ldrex(X + 4, EXCL_MEMOPS.W));
  turns.on(0, () => {
    a.env[3] = 8;
    a.env[1] = 1;
    run(1000);
    t.equal(hazard(a), 0, 'withdrawn when the region exits');
  });
  turns.on(1, () => {
    t.equal(word(b, X + 4), 8, 'the store in the later block landed');
    t.equal(b.ops.strex(X + 4, 9, 0, EXCL_MEMOPS.W), 1, 'and cancelled B\'s reservation: its STREX fails');
  });
});
