// The JavaScript the backend emits for each pure op computes what the
// optimiser's constant folder computes (two independent implementations).

import t from 'tap';
import { emitAlu } from '../../../src/emulator/backend/emit-alu.js';
import { foldUnaryOrBinary, mulhs, mulhu, rbit } from '../../../src/emulator/ir/fold.js';
import type { Opcode } from '../../../src/emulator/ir/opcodes.js';

const UNARY: Opcode[] = ['neg', 'not', 'clz', 'bswap32', 'bswap16', 'rbit', 'ext8s', 'ext8u', 'ext16s', 'ext16u'];
const BINARY: Opcode[] = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'andc', 'shl', 'shr', 'sar', 'rotr', 'divs', 'divu'];
const EDGE = [0, 1, -1, 2, 31, 32, 33, 0x7fffffff, -0x80000000, 0x80, 0xff, 0xffff, 0x12345678, -0x12345678];

function run(opc: Opcode, ins: number[], consts: number[]): number {
  // temps 100.. are plain locals t100...
  const args = [100, ...ins.map((_, i) => 101 + i), ...consts];
  const stmt = emitAlu({ opc, args });
  if (stmt === null) throw new Error(`no ALU lowering for ${opc}`);
  const decl = ins.map((v, i) => `let t${101 + i} = ${v | 0};`).join(' ');
  const f = new Function('mulhu', 'mulhs', 'rbit', `${decl} let t100 = 0; ${stmt} return t100;`);
  return f(mulhu, mulhs, rbit) as number;
}

t.test('unary and binary ops agree with the folder', async (t) => {
  let checks = 0;
  for (const opc of UNARY) {
    for (const a of EDGE) {
      const want = foldUnaryOrBinary(opc, [a], []);
      t.equal(run(opc, [a], []), want, `${opc}(${a})`);
      checks++;
    }
  }
  for (const opc of BINARY) {
    for (const a of EDGE) {
      for (const b of EDGE) {
        const want = foldUnaryOrBinary(opc, [a, b], []);
        if (run(opc, [a, b], []) !== want) t.fail(`${opc}(${a}, ${b}) = ${run(opc, [a, b], [])}, folder says ${want}`);
        checks++;
      }
    }
  }
  t.ok(checks > 2000, `${checks} cases`);
});

t.test('bitfield ops agree with the folder', async (t) => {
  for (const a of EDGE) {
    for (const [pos, len] of [[0, 1], [0, 8], [4, 12], [16, 16], [31, 1], [0, 32], [3, 29]] as const) {
      t.equal(run('extract', [a], [pos, len]), foldUnaryOrBinary('extract', [a], [pos, len]), `extract ${a} ${pos} ${len}`);
      t.equal(run('sextract', [a], [pos, len]), foldUnaryOrBinary('sextract', [a], [pos, len]), `sextract ${a} ${pos} ${len}`);
      t.equal(run('deposit', [a, 0x5a5a5a5a], [pos, len]), foldUnaryOrBinary('deposit', [a, 0x5a5a5a5a], [pos, len]), `deposit ${a} ${pos} ${len}`);
    }
  }
});
