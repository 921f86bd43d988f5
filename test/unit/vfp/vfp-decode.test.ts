// The VFP decode rows: each VFPv3-D16 form decodes to its row, in ARM and
// in Thumb state, and the whole front end (A32 with conditions, T32 as two
// halfwords) translates it; what mttcg does not emulate (NEON, VFPv4 fused
// multiply-add, half precision, d16-d31, privileged VFP registers,
// UNPREDICTABLE forms qemu-arm UNDEFs) is UNDEFINED in both.

import t from 'tap';
import { A32_GLOBALS } from '../../../src/emulator/arm/cpu-state.js';
import { ArmContext } from '../../../src/emulator/arm/translate-context.js';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import { decodeVfp } from '../../../src/emulator/arm/vfp/vfp-decode.js';
import { IrBuilder } from '../../../src/emulator/ir/builder.js';

const PC = 0x10000;

/** The first instruction's mnemonic when the front end translates `word` in ARM state. */
function a32(word: number): string {
  return translateBlock(PC, 0, { fetch32: (a) => (a === PC ? word : 0xe1a00000), fetch16: () => 0xbf00 }, 1).mnemonics[0]!;
}

/** The same for a T32 word hw1:hw2 in Thumb state. */
function t32(word: number): string {
  const half = (a: number): number => (a === PC ? word >>> 16 : a === PC + 2 ? word & 0xffff : 0xbf00);
  return translateBlock(PC, 1, { fetch32: () => 0, fetch16: half }, 1).mnemonics[0]!;
}

function row(word: number, thumb: boolean): string {
  const ctx = new ArmContext(new IrBuilder(A32_GLOBALS), thumb);
  ctx.pc = PC;
  return decodeVfp(ctx, word) ?? 'undef';
}

const DECODES: [number, string, string][] = [
  [0xee300b01, 'vadd', 'vadd.f64 d0, d0, d1'],
  [0xee700a81, 'vadd', 'vsub.f32 s1, s1, s2'],
  [0xee210b02, 'vmul', 'vmul.f64 d0, d1, d2'],
  [0xee210b42, 'vmul', 'vnmul.f64 d0, d1, d2'],
  [0xee810b02, 'vdiv', 'vdiv.f64 d0, d1, d2'],
  [0xee010b02, 'vmla', 'vmla.f64 d0, d1, d2'],
  [0xee110b42, 'vnmla', 'vnmla.f64 d0, d1, d2'],
  [0xeeb10bc1, 'vsqrt', 'vsqrt.f64 d0, d1'],
  [0xeeb00bc1, 'vmov_reg', 'vabs.f64 d0, d1'],
  [0xeeb10b41, 'vneg', 'vneg.f64 d0, d1'],
  [0xeeb70b00, 'vmov_imm', 'vmov.f64 d0, #1.0'],
  [0xeeb40bc1, 'vcmp', 'vcmpe.f64 d0, d1'],
  [0xeeb50b40, 'vcmp', 'vcmp.f64 d0, #0'],
  [0xeeb70bc0, 'vcvt_ff', 'vcvt.f32.f64 s0, d0'],
  [0xeeb80bc0, 'vcvt_if', 'vcvt.f64.s32 d0, s0'],
  [0xeebd0bc0, 'vcvt_fi', 'vcvt.s32.f64 s0, d0'],
  [0xeebd0b40, 'vcvt_fi', 'vcvtr.s32.f64 s0, d0'],
  [0xeebe0bc8, 'vcvt_fix', 'vcvt.s32.f64 d0, d0, #16'],
  [0xee100a10, 'vmov_s', 'vmov r0, s0'],
  [0xec510b10, 'vmov_d', 'vmov r0, r1, d0'],
  [0xec410b10, 'vmov_d', 'vmov d0, r0, r1'],
  [0xec410a10, 'vmov_ss', 'vmov s0, s1, r0, r1'],
  [0xee210b10, 'vmov_scalar', 'vmov.32 d1[1], r0'],
  [0xeef10a10, 'vmrs', 'vmrs r0, fpscr'],
  [0xeef1fa10, 'vmrs', 'vmrs APSR_nzcv, fpscr'],
  [0xeee10a10, 'vmsr', 'vmsr fpscr, r0'],
  [0xed9d0b02, 'vldr', 'vldr d0, [sp, #8]'],
  [0xed0d0a01, 'vldr', 'vstr s0, [sp, #-4]'],
  [0xed9f0b02, 'vldr', 'vldr d0, [pc, #8]'],
  [0xed2d8b10, 'vldm', 'vpush {d8-d15}'],
  [0xecbd8b10, 'vldm', 'vpop {d8-d15}'],
  [0xec900b20, 'vldm', 'vldmia r0, {d0-d15}'],
  [0xec800b21, 'vldm', 'fstmiax r0, {d0-d15}'],
];

/** In both sets (the A32 word, or the T32 hw1:hw2 with the same bits) unless marked. */
const UNDEFS: [number, string, ('a32' | 't32')?][] = [
  [0xf2000d02, 'NEON vadd.f32 d0, d0, d2 (A32 encoding)', 'a32'],
  [0xef000d02, 'NEON vadd.f32 d0, d0, d2 (T32 encoding)', 't32'],
  [0xeea10b02, 'VFPv4 vfma.f64 d0, d1, d2'],
  [0xeeb20a40, 'half precision vcvtb.f32.f16 s0, s0'],
  [0xee300b21, 'vadd.f64 d0, d0, d17 (VFPv3-D16 has no d17)'],
  [0xeddd1b00, 'vldr d17, [sp] (no d17)'],
  [0xeef80a10, 'vmrs r0, fpexc (privileged)'],
  [0xeef00a10, 'vmrs r0, fpsid (privileged in VFPv3)'],
  [0xeef70a10, 'vmrs r0, mvfr0 (privileged)'],
  [0xecbd8b00, 'vpop {} (no registers)'],
  [0xed2d0b22, 'vpush {d0-d16} (17 doubles)'],
  [0xedad0b10, 'P = U = W = 1 (neither VSTR nor VSTM)'],
  [0xecbf0b04, 'vldmia pc!, {d0-d1} (writeback to pc)'],
  [0xeeb50b41, 'vcmp.f64 d0, #0 with Vm != 0'],
];

t.test('VFP encodings decode to their rows, and both front ends translate them', async (t) => {
  for (const [word, name, text] of DECODES) {
    t.equal(row(word, false), name, `row of ${text}`);
    t.equal(row(word, true), name, `row of ${text} in Thumb state`);
    t.not(a32(word), 'undef', `A32 ${text}`);
    t.not(a32((word & 0x0fffffff) | 0x10000000), 'undef', `A32 ${text} with condition NE`);
    t.not(t32(word), 'undef', `T32 ${text}`);
  }
});

t.test('what mttcg does not emulate is UNDEFINED', async (t) => {
  for (const [word, text, only] of UNDEFS) {
    if (only !== 't32') t.equal(a32(word), 'undef', `A32 ${text}`);
    if (only !== 'a32') t.equal(t32(word), 'undef', `T32 ${text}`);
  }
  t.equal(a32(0xfe300b01), 'undef', 'A32: the VADD encoding with cond 1111 (unconditional space)');
  t.equal(t32(0xfe300b01), 'undef', 'T32: the VADD encoding with top nibble 0xF');
});
