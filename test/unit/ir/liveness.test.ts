// Liveness reads the op table's flags: an op without OPF_SIDE_EFFECTS goes
// when its outputs are dead (pure arithmetic and ld_env alike), an op with
// it stays (a load may fault, st_env writes state), and every global is live
// at a TB exit (OPF_BB_END).

import t from 'tap';
import type { IrGlobals } from '../../../src/emulator/ir/globals.js';
import { IrBuilder } from '../../../src/emulator/ir/builder.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';

const GLOBALS: IrGlobals = { count: 2, names: ['g0', 'g1'], pcSlot: 15 };

t.test('dead ops without side effects go, the rest stay', async (t) => {
  const b = new IrBuilder(GLOBALS);
  const deadEnv = b.newTemp();
  b.emit('ld_env', deadEnv, 22);
  const deadSum = b.newTemp();
  b.emit('add', deadSum, 0, 1);
  const deadLoad = b.newTemp();
  b.emit('qemu_ld', deadLoad, 0, MemOp.SIZE_32, 0x1000);
  b.emit('st_env', 1, 23);
  const liveEnv = b.newTemp();
  b.emit('ld_env', liveEnv, 24);
  b.emit('mov', 0, liveEnv);
  b.emit('goto_tb', 0, 0x2000);
  const kept = removeDeadCode(b.ops, b.tempCount, GLOBALS).map((op) => op.opc);
  t.same(kept, ['qemu_ld', 'st_env', 'ld_env', 'mov', 'goto_tb']);
});

t.test('a write to a global is live at the exit, a write to a TB temp is not', async (t) => {
  const b = new IrBuilder(GLOBALS);
  b.emit('movi', 1, 7);
  const temp = b.newTemp();
  b.emit('movi', temp, 8);
  b.emit('exit_special', 3, 0x1000);
  t.same(removeDeadCode(b.ops, b.tempCount, GLOBALS).map((op) => op.args), [[1, 7], [3, 0x1000]]);
});
