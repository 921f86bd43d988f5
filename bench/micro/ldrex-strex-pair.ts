// Micro benchmark of the LDREX+STREX helper pair under every registered
// strategy (and aie in each store mode), in one thread: one vCPU built as a
// vCPU worker builds it (harness/vcpu-harness.ts: real guest
// memory, Mmu, VcpuTable slot, strategy.attach), running one compiled
// function made of the strategy's own lowering of `LDREX r3, [r0]; ADD r1,
// r3, #1; STREX r5, r1, [r0]` - an uncontended atomic increment. No other
// vCPU exists, so stop-the-world's sections have nobody to wait for: the
// figures are each design's fixed cost per LL/SC pair, not its scaling.
//
//   node dist/bench/micro/ldrex-strex-pair.js [--max-time S] [--json FILE]

import { strategyNames } from '../../src/machine/strategy-registry.js';
import type { StrategyOptions } from '../../src/emulator/atomics/strategy.js';
import { compileTb, makeTbRuntime } from '../../src/emulator/backend/compile-tb.js';
import { MemOp } from '../../src/emulator/ir/memop.js';
import { DATA_BASE, singleVcpu } from '../../harness/vcpu-harness.js';
import { runMicroSuite } from './micro-suite.js';

const W = MemOp.SIZE_32 | MemOp.ALIGN;
const PC = 0x8000;
const ADDR = DATA_BASE + 0x100;

interface Variant {
  readonly label: string;
  readonly strategy: string;
  readonly options: StrategyOptions;
}

const variants: Variant[] = strategyNames().map((s) => ({ label: s, strategy: s, options: {} }));
for (const mode of ['off', 'always']) {
  variants.push({ label: `aie (--aie-stores ${mode})`, strategy: 'aie', options: { 'aie-stores': mode } });
}

function pairFor(v: Variant): { run: () => void; check: () => number } {
  const vcpu = singleVcpu(v.strategy, v.options);
  const a = vcpu.atomics;
  const rt = makeTbRuntime(vcpu.env, vcpu.mmu, a.bindings, vcpu.control.pending, vcpu.control.pendingIndex);
  const body = [
    'let ti = 0;',
    a.ld_excl('R[3]', 'R[4]', 'R[0]', W, PC),
    'R[1] = (R[3] + 1) | 0;',
    a.st_excl('R[5]', 'R[0]', 'R[1]', 'R[2]', W, PC + 8),
    'return R[5];',
  ].join('\n');
  const tb = compileTb(rt, 'ldrex_strex_pair', body);
  vcpu.env[0] = ADDR;
  let failures = 0;
  return {
    run: () => {
      failures += tb();
    },
    // Every STREX must succeed (no one else runs), and the counter must show every increment.
    check: () => failures,
  };
}

const pairs = variants.map((v) => ({ v, pair: pairFor(v) }));
runMicroSuite('LDREX+STREX helper pair, one vCPU, uncontended', (suite, maxTime) => {
  for (const { v, pair } of pairs) suite.add(v.label, pair.run, { maxTime });
});
for (const { v, pair } of pairs) {
  if (pair.check() !== 0) throw new Error(`${v.label}: ${pair.check()} STREX failed with no other vCPU`);
}
