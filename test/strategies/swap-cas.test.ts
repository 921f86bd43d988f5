// SWP/SWPB, the kuser cmpxchg and cmpxchg64, and LDREXD/STREXD arithmetic
// with a carry between the two words, on one vCPU without guest code, for
// unsafe, stop-the-world and cmpxchg. With one vCPU all three must agree:
// these are the architectural results, not the strategies' races.

import t from 'tap';
import { Env } from '../../src/emulator/arm/cpu-state.js';
import { SIGBUS } from '../../src/emulator/softmmu/guest-fault.js';
import { DATA_BASE, type HarnessVcpu, singleVcpu } from '../../harness/vcpu-harness.js';
import { SWP_MEMOPS } from '../../harness/lowered-atomics.js';
import { SizedAccess } from './sized-access.js';

const STRATEGIES = ['unsafe', 'stop-the-world', 'cmpxchg'];
const X = DATA_BASE + 0x200;
const W = new SizedAccess('W');
const B = new SizedAccess('B');
const D = new SizedAccess('D');

/** The 16 bytes from X-4 as hex, to see that only the intended bytes changed. */
function bytesAround(v: HarnessVcpu): string {
  let s = '';
  for (let a = X - 4; a < X + 12; a++) s += v.ops.load(a, 0).toString(16).padStart(2, '0');
  return s;
}

for (const strategy of STRATEGIES) {
  t.test(`${strategy}: SWP and SWPB return the old value and store the new one`, async (t) => {
    const v = singleVcpu(strategy);
    D.store(v.ops, X - 8, 0x1111111111111111n);
    D.store(v.ops, X + 8, 0x2222222222222222n);
    W.store(v.ops, X, 0x89abcdefn);
    W.store(v.ops, X + 4, 0x01020304n);
    t.equal(v.ops.swp(X, 0x7eadbeef, SWP_MEMOPS.W) >>> 0, 0x89abcdef, 'SWP returns the old word');
    t.equal(W.load(v.ops, X), 0x7eadbeefn, 'SWP stored the new word');
    t.equal(v.ops.swp(X, -1, SWP_MEMOPS.W) >>> 0, 0x7eadbeef, 'SWP again returns what the first stored');
    t.equal(v.ops.swp(X + 5, 0x1c3, SWP_MEMOPS.B), 0x03, 'SWPB returns the old byte zero-extended');
    t.equal(bytesAround(v), '11111111ffffffff04c30201' + '22222222', 'SWPB stored the low byte of its operand only');
    t.equal(v.ops.swp(X + 5, 0x80, SWP_MEMOPS.B), 0xc3, 'SWPB of a byte with bit 7 set reads back zero-extended');
    t.throws(() => v.ops.swp(X + 2, 0, SWP_MEMOPS.W), { name: 'GuestFault', signal: SIGBUS }, 'misaligned SWP is SIGBUS');
  });

  t.test(`${strategy}: kuser cmpxchg`, async (t) => {
    const v = singleVcpu(strategy);
    W.store(v.ops, X, 0x80000001n);
    W.store(v.ops, X + 4, 0x55555555n);
    t.equal(v.ops.cas(X, 7, 8), 0, 'a wrong expected value fails');
    t.equal(W.load(v.ops, X), 0x80000001n, 'and stores nothing');
    t.equal(v.ops.cas(X, 0x80000001 | 0, 0xfffffff0 | 0), 1, 'the right (negative) expected value succeeds');
    t.equal(W.load(v.ops, X), 0xfffffff0n, 'and stores the replacement');
    t.equal(W.load(v.ops, X + 4), 0x55555555n, 'the next word is untouched');
    t.equal(v.ops.cas(X, 0x80000001 | 0, 5), 0, 'the old value no longer matches');
  });

  t.test(`${strategy}: kuser cmpxchg64`, async (t) => {
    const v = singleVcpu(strategy);
    const start = 0xffffffff00000000n;
    D.store(v.ops, X, start);
    t.equal(v.ops.cas64(X, start + 1n, 3n), 0, 'a low-word mismatch fails');
    t.equal(v.ops.cas64(X, start ^ (1n << 40n), 3n), 0, 'a high-word mismatch fails');
    t.equal(D.load(v.ops, X), start, 'failures store nothing');
    t.equal(v.ops.cas64(X, start, 0x00000001ffffffffn), 1, 'the right expected value succeeds');
    t.equal(D.load(v.ops, X), 0x00000001ffffffffn, 'both words of the replacement are stored');
    t.throws(() => v.ops.cas64(X + 4, 0n, 0n), { name: 'GuestFault', signal: SIGBUS }, 'a 4-aligned pointer is SIGBUS');
  });

  t.test(`${strategy}: LDREXD/STREXD add with a carry between the words`, async (t) => {
    const v = singleVcpu(strategy);
    const cases: [bigint, bigint, bigint][] = [
      [0x00000000fffffffen, 3n, 0x0000000100000001n],
      [0x7fffffffffffffffn, 1n, 0x8000000000000000n],
      [0xffffffffffffffffn, 1n, 0n],
      [0x12345678ffffffffn, 0x100000001n, 0x1234567a00000000n],
    ];
    for (const [start, add, sum] of cases) {
      D.store(v.ops, X, start);
      const old = v.ops.ldrexd(X);
      t.equal(old, start, `LDREXD reads 0x${start.toString(16)}`);
      t.equal(v.env[Env.HELPER_HI]! >>> 0, Number(start >> 32n), 'its high word came back in env[HELPER_HI]');
      t.equal(v.ops.strexd(X, BigInt.asUintN(64, old + add)), 0, 'STREXD succeeds');
      t.equal(D.load(v.ops, X), sum, `0x${start.toString(16)} + 0x${add.toString(16)} = 0x${sum.toString(16)}`);
    }
  });

  t.test(`${strategy}: byte-sized exclusive ops touch one byte`, async (t) => {
    const v = singleVcpu(strategy);
    D.store(v.ops, X, 0x0807060504030201n);
    B.ldrex(v.ops, X + 3);
    t.equal(B.strex(v.ops, X + 3, 0x1ffn), 0, 'STREXB succeeds');
    t.equal(D.load(v.ops, X), 0x08070605ff030201n, 'only byte 3 changed, to the low byte of the operand');
  });
}
