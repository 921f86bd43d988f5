// The VFP generator of the random differential tester: random VFPv3-D16
// sequences (vfp-gen.ts), in A32 mixed with a few integer instructions, on
// random D registers and a random FPSCR (every rounding mode, FZ, DN, flags
// cleared or set), compared with qemu-arm on r0-r14, APSR, d0-d15, FPSCR and
// the scratch memory. The ELF is hard-float (armhf). In T32 the same VFP
// instructions are emitted as hw1:hw2 (always AL: conditions need IT blocks).

import type { SeededRandom } from '../seeded-random.js';
import { genA32Alu } from './a32-alu-gen.js';
import type { CodeBuffer } from './code-buffer.js';
import { emitLdrImm, emitStrImm } from './harness-encodings.js';
import type { Isa } from './code-buffer.js';
import type { CaseLayout, RandomGenerator, StateExtension } from './program.js';
import { genVfpAtom, type VfpState } from './vfp-gen.js';
import { randomDoubleBits, randomFloatBits, randomFpscr } from './vfp-values.js';

/** d0-d15 (128 bytes), then FPSCR and a pad word. */
const VFP_STATE_BYTES = 136;
const FPSCR_OFFSET = 128;

/** VLDM/VSTM rBase, {d0-d15} (A32 word; the same hw1:hw2 in T32). */
function emitVfpBlock(buf: CodeBuffer, rBase: number, load: boolean): void {
  const word = ((load ? 0xec900b20 : 0xec800b20) | (rBase << 16)) >>> 0;
  const text = `${load ? 'vldmia' : 'vstmia'} r${rBase}, {d0-d15}`;
  if (buf.isa === 'a32') buf.a32(word, text);
  else buf.t32(word, text);
}

function emitVmsrVmrs(buf: CodeBuffer, rt: number, toFpscr: boolean): void {
  const word = ((toFpscr ? 0xeee10a10 : 0xeef10a10) | (rt << 12)) >>> 0;
  const text = toFpscr ? `vmsr fpscr, r${rt}` : `vmrs r${rt}, fpscr`;
  if (buf.isa === 'a32') buf.a32(word, text);
  else buf.t32(word, text);
}

const hex = (v: number, n: number): string => (v >>> 0).toString(16).padStart(n, '0');

export const VFP_STATE: StateExtension = {
  inputBytes: VFP_STATE_BYTES,
  outputBytes: VFP_STATE_BYTES,
  fillInput(rng: SeededRandom, input: DataView): void {
    for (let d = 0; d < 16; d++) {
      if (rng.below(2)) {
        input.setBigUint64(8 * d, randomDoubleBits(rng), true);
      } else {
        input.setInt32(8 * d, randomFloatBits(rng), true);
        input.setInt32(8 * d + 4, randomFloatBits(rng), true);
      }
    }
    input.setUint32(FPSCR_OFFSET, randomFpscr(rng), true);
    input.setUint32(FPSCR_OFFSET + 4, 0, true);
  },
  emitLoad(buf: CodeBuffer, rBase: number): void {
    emitVfpBlock(buf, rBase, true);
    emitLdrImm(buf, 2, rBase, FPSCR_OFFSET);
    emitVmsrVmrs(buf, 2, true);
  },
  emitStore(buf: CodeBuffer, rBase: number): void {
    emitVfpBlock(buf, rBase, false);
    emitVmsrVmrs(buf, 1, false);
    emitStrImm(buf, 1, rBase, FPSCR_OFFSET);
  },
  describe(output: DataView): string[] {
    const out: string[] = [];
    for (let d = 0; d < 16; d++) out.push(`d${d}=${hex(output.getUint32(8 * d + 4, true), 8)}${hex(output.getUint32(8 * d, true), 8)}`);
    out.push(`FPSCR=${hex(output.getUint32(FPSCR_OFFSET, true), 8)}`);
    return out;
  },
};

export class VfpGenerator implements RandomGenerator {
  readonly name: string;
  readonly hardFloat = true;
  readonly extension = VFP_STATE;

  constructor(readonly isa: Isa = 'a32') {
    this.name = `vfp-${isa}`;
  }

  emitSequence(rng: SeededRandom, buf: CodeBuffer, layout: CaseLayout): void {
    const s: VfpState = { rng, buf, layout, spOffset: 0 };
    for (let atoms = rng.between(4, 20); atoms > 0; atoms--) {
      if (this.isa === 'a32' && rng.below(10) === 0) genA32Alu({ rng, buf, layout });
      else genVfpAtom(s);
    }
  }
}
