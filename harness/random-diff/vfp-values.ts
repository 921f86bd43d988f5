// Random VFP operand bit patterns for the differential tester, rich in the
// values where emulators go wrong: signed zeros, subnormals (for FZ and
// underflow), the ends of the normal range (overflow, rounding into
// infinity), infinities, quiet and signalling NaNs with payloads (ARM NaN
// propagation, default NaN), integers and half-integers near the int32 and
// uint32 limits (conversion saturation), and ordinary numbers near 1.

import type { SeededRandom } from '../seeded-random.js';
import { pickWeighted, type Weighted } from './weighted.js';

const D_SPECIAL: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7fefffffffffffffn,
  0xffefffffffffffffn, 0x0010000000000000n, 0x8010000000000000n, 0x000fffffffffffffn, 0x0000000000000001n,
  0x800fffffffffffffn, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n,
  0x7ff0000000000001n, 0x7ff4000000000000n, 0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n,
  0xc1e0000000200000n, 0x41efffffffe00000n, 0x41f0000000000000n, 0x3fe0000000000000n, 0xbfe0000000000000n,
  0x4004000000000000n, 0x3cb0000000000000n, 0x7fe0000000000000n, 0x0020000000000000n, 0x3ff0000000000001n,
];

const S_SPECIAL: readonly number[] = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x007fffff,
  0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0x4effffff,
  0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, 0x3f000000, 0xbf000000, 0x40200000, 0x34000000,
  0x7f000000, 0x01000000, 0x3f800001, 0x46fffe00, 0x477fff00,
];

type Kind = 'special' | 'near1' | 'wide' | 'subnormal' | 'nan' | 'integer' | 'bits';

const KINDS: readonly Weighted<Kind>[] = [
  [25, 'special'], [25, 'near1'], [12, 'wide'], [8, 'subnormal'], [10, 'nan'], [12, 'integer'], [8, 'bits'],
];

function bits64(rng: SeededRandom): bigint {
  return (BigInt(rng.next()) << 32n) | BigInt(rng.next());
}

function f64Bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  return dv.getBigUint64(0, true);
}

/** An integer or half-integer near a conversion limit or small. */
function integerValue(rng: SeededRandom): number {
  const bases = [0, 1, 2 ** 15, 2 ** 16, 2 ** 31, 2 ** 32, 2 ** 24, 2 ** 53];
  const base = bases[rng.below(bases.length)]!;
  const v = base + rng.between(-3, 3) + (rng.below(3) === 0 ? 0.5 : 0);
  return rng.below(2) ? -v : v;
}

export function randomDoubleBits(rng: SeededRandom): bigint {
  const sign = BigInt(rng.below(2)) << 63n;
  switch (pickWeighted(rng, KINDS)) {
    case 'special': return D_SPECIAL[rng.below(D_SPECIAL.length)]!;
    case 'near1': return sign | (BigInt(1023 + rng.between(-8, 8)) << 52n) | (bits64(rng) & 0xfffffffffffffn);
    case 'wide': return sign | (BigInt(rng.between(1, 2046)) << 52n) | (bits64(rng) & 0xfffffffffffffn);
    case 'subnormal': return sign | ((bits64(rng) & 0xfffffffffffffn) >> BigInt(rng.below(52)));
    case 'nan': {
      const payload = (bits64(rng) & 0x7ffffffffffffn) || 1n;
      return sign | 0x7ff0000000000000n | (rng.below(2) ? 0x8000000000000n : 0n) | payload;
    }
    case 'integer': return f64Bits(integerValue(rng));
    default: return bits64(rng);
  }
}

export function randomFloatBits(rng: SeededRandom): number {
  const sign = rng.below(2) << 31;
  switch (pickWeighted(rng, KINDS)) {
    case 'special': return S_SPECIAL[rng.below(S_SPECIAL.length)]! | 0;
    case 'near1': return sign | ((127 + rng.between(-8, 8)) << 23) | (rng.next() & 0x7fffff);
    case 'wide': return sign | (rng.between(1, 254) << 23) | (rng.next() & 0x7fffff);
    case 'subnormal': return sign | ((rng.next() & 0x7fffff) >>> rng.below(23));
    case 'nan': return sign | 0x7f800000 | (rng.below(2) ? 0x400000 : 0) | ((rng.next() & 0x3fffff) || 1);
    case 'integer': return new Int32Array(new Float32Array([integerValue(rng)]).buffer)[0]!;
    default: return rng.next() | 0;
  }
}

/**
 * A random FPSCR for VMSR or a case's start: random NZCV, DN, FZ, RMode and
 * cumulative flags, with trap-enable garbage (bits 15:8, which read as zero)
 * now and then, never LEN/STRIDE (short vectors). Half of the time the status
 * lets mttcg's inline fast path run: round to nearest, FZ = 0, IXC set.
 */
export function randomFpscr(rng: SeededRandom): number {
  const nzcv = rng.below(16) << 28;
  if (rng.below(2)) return (nzcv | (rng.below(2) << 25) | 0x10 | (rng.below(4) === 0 ? rng.below(32) : 0)) >>> 0;
  const flags = rng.below(2) ? 0 : rng.next() & 0x9f;
  const garbage = rng.below(4) === 0 ? rng.next() & 0x0800ff00 : 0;
  return (nzcv | (rng.below(2) << 25) | (rng.below(2) << 24) | (rng.below(4) << 22) | flags | garbage) >>> 0;
}
