// The VFP record of uc_regspace (linux-user/signal-cpu-state.ts): the
// kernel's layout (magic, size 288, d0-d31 with d16-d31 zero, fpscr, fpexc,
// fpinst, fpinst2), a round trip through sigreturn bit for bit, and a
// malformed record refused without a change.

import t from 'tap';
import { createEnv, Env } from '../../../src/emulator/arm/cpu-state.js';
import { restoreCoprocessorArea, saveCoprocessorArea } from '../../../src/emulator/linux-user/signal-cpu-state.js';
import { dregSlot } from '../../../src/emulator/arm/vfp/vfp-state.js';

const VFP_MAGIC = 0x56465001;

function filledEnv(): Int32Array {
  const env = createEnv();
  for (let w = 0; w < 32; w++) env[Env.VFP_REGS + w] = (0x7ff40000 + w * 0x10001) | 0; // signalling-NaN-like words
  env[Env.FPSCR] = 0xf3c0009f | 0;
  return env;
}

t.test('the record is laid out as the kernel writes it', async (t) => {
  const env = filledEnv();
  const area = new DataView(new ArrayBuffer(512));
  t.equal(saveCoprocessorArea(env, area), 288, 'size of struct vfp_sigframe');
  t.equal(area.getUint32(0, true), VFP_MAGIC, 'magic 0x56465001');
  t.equal(area.getUint32(4, true), 288, 'size field');
  t.equal(area.getInt32(8, true), env[dregSlot(0)], 'd0 low word');
  t.equal(area.getInt32(8 + 8 * 15 + 4, true), env[dregSlot(15) + 1], 'd15 high word');
  t.equal(area.getInt32(8 + 8 * 16, true), 0, 'd16 (absent in VFPv3-D16) is zero');
  t.equal(area.getUint32(264, true), 0xf3c0009f, 'fpscr');
  t.equal(area.getUint32(272, true), 0x40000000, 'fpexc: EN');
  t.equal(area.getInt32(276, true), 0, 'fpinst');
  t.equal(area.getInt32(280, true), 0, 'fpinst2');
});

t.test('sigreturn loads the record back, bit for bit', async (t) => {
  const env = filledEnv();
  const area = new DataView(new ArrayBuffer(512));
  saveCoprocessorArea(env, area);
  area.setInt32(8 + 8 * 3, 0x12345678, true); // the handler changes d3's low word
  area.setUint32(264, 0xfff7ff9f, true); // and FPSCR, with LEN/STRIDE and trap-enable bits set
  const back = createEnv();
  t.ok(restoreCoprocessorArea(back, area), 'accepted');
  const want = env.slice(Env.VFP_REGS, Env.VFP_REGS + 32);
  want[6] = 0x12345678;
  t.same([...back.slice(Env.VFP_REGS, Env.VFP_REGS + 32)], [...want], 'd0-d15');
  t.equal(back[Env.FPSCR]! >>> 0, 0xffc0009f, 'FPSCR as VMSR keeps it, without LEN/STRIDE');
});

t.test('a record with a wrong magic or size is refused and changes nothing', async (t) => {
  const env = filledEnv();
  const area = new DataView(new ArrayBuffer(512));
  saveCoprocessorArea(env, area);
  const target = createEnv();
  const before = target.slice();
  area.setUint32(0, 0x56465002, true);
  t.notOk(restoreCoprocessorArea(target, area), 'wrong magic');
  area.setUint32(0, VFP_MAGIC, true);
  area.setUint32(4, 280, true);
  t.notOk(restoreCoprocessorArea(target, area), 'wrong size');
  t.same([...target], [...before], 'env untouched');
});
