// A declarative instruction decoder in the manner of QEMU's decodetree.
//
// Each row is a 32-character bit picture (spaces ignored), or a 16-character
// one for a 16-bit Thumb instruction held in the low half of the word:
//   '0' / '1'  fixed bits
//   '-'        don't care
//   a letter   a field bit; equal letters form one field, concatenated from the
//              most significant position down (so imm4H ... imm4L read as one imm8)
// The picture is compiled once at start-up into (mask, value, extractors). Rows
// are tried in table order; a row matches when its fixed bits match and its
// handler accepts (returns true). A handler that returns false declines the
// encoding (decodetree's overlap groups), so a specific row may sit before a
// general one. If nothing accepts, the word is UNDEFINED.

/** The fields a handler reads, by letter, e.g. `Fields<'n' | 't'>` (Rn and Rt). */
export type Fields<K extends string = string> = { readonly [k in K]: number };

type Lower = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's'
  | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';
type Letter = Lower | Uppercase<Lower>;

/** The field letters of a bit picture: FieldLetters<'cccc 0001 0B00 nnnn'> is 'c' | 'B' | 'n'. */
export type FieldLetters<Bits extends string, Found extends string = never> =
  Bits extends `${infer Ch}${infer Rest}` ? FieldLetters<Rest, Ch extends Letter ? Found | Ch : Found> : Found;

/** The fields a row's picture defines, as its handler receives them. */
export type FieldsOf<Bits extends string> = Fields<FieldLetters<Bits>>;

export interface PatternRow<C> {
  /** Instruction family name, used in TB comments and dumps. */
  readonly name: string;
  readonly bits: string;
  readonly trans: (ctx: C, f: Fields) => boolean;
  /** Fields with fixed values this encoding implies (decodetree's `field=value`). */
  readonly fixed?: Fields;
}

/**
 * A row as the table writes it: the handler must read only fields its picture
 * defines, plus those the row fixes (`fixed`, for an encoding that implies a
 * field another encoding of the same operation spells out).
 */
export interface TypedRow<C, Bits extends string, Fixed extends string = never> {
  readonly name: string;
  readonly bits: Bits;
  readonly trans: (ctx: C, f: FieldsOf<Bits> & Fields<NoInfer<Fixed>>) => boolean;
  readonly fixed?: Fields<Fixed>;
}

/**
 * Checks one row at compile time and returns it for the Decoder. The decoder
 * extracts exactly the letters of the picture and adds the fixed fields, so
 * the handler gets every field its type names.
 */
export function rowChecker<C>(): <const Bits extends string, Fixed extends string = never>(row: TypedRow<C, Bits, Fixed>) => PatternRow<C> {
  return (row) => row as unknown as PatternRow<C>;
}

interface FieldExtractor {
  readonly name: string;
  /** [shift, width] runs from most to least significant. */
  readonly runs: readonly (readonly [number, number])[];
}

export interface CompiledPattern<C> {
  readonly name: string;
  readonly mask: number;
  readonly value: number;
  /** True when bits 31..28 are a condition field: such rows never match cond=0b1111. */
  readonly conditional: boolean;
  readonly fields: readonly FieldExtractor[];
  readonly fixed: Fields | undefined;
  readonly trans: (ctx: C, f: Fields) => boolean;
}

export function compilePattern<C>(row: PatternRow<C>): CompiledPattern<C> {
  const drawn = row.bits.replace(/\s+/g, '');
  // A 16-bit picture describes the low halfword; the high one must be zero.
  const pic = drawn.length === 16 ? '0'.repeat(16) + drawn : drawn;
  if (pic.length !== 32) throw new Error(`decodetree: ${row.name}: picture has ${drawn.length} bits, want 32 or 16`);
  let mask = 0;
  let value = 0;
  const runsByName = new Map<string, [number, number][]>();
  for (let i = 0; i < 32; i++) {
    const bit = 31 - i;
    const ch = pic[i]!;
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') value |= 1 << bit;
    } else if (/[A-Za-z]/.test(ch)) {
      let runs = runsByName.get(ch);
      if (!runs) runsByName.set(ch, (runs = []));
      const last = runs[runs.length - 1];
      // Extend the current run when this bit is adjacent to it.
      if (last && last[0] === bit + 1 && pic[i - 1] === ch) {
        last[0] = bit;
        last[1] += 1;
      } else {
        runs.push([bit, 1]);
      }
    } else if (ch !== '-') {
      throw new Error(`decodetree: ${row.name}: bad character '${ch}'`);
    }
  }
  const fields = [...runsByName].map(([name, runs]) => ({ name, runs }));
  const conditional = /^cccc/.test(pic);
  return { name: row.name, mask: mask >>> 0, value: value >>> 0, conditional, fields, fixed: row.fixed, trans: row.trans };
}

export function extractFields<C>(p: CompiledPattern<C>, word: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of p.fields) {
    let v = 0;
    for (const [shift, width] of f.runs) {
      const bits = width >= 32 ? word >>> 0 : (word >>> shift) & ((1 << width) - 1);
      v = v * 2 ** width + bits;
    }
    out[f.name] = v >>> 0;
  }
  if (p.fixed) Object.assign(out, p.fixed);
  return out;
}

/**
 * The matcher indexes rows by a few bits of the word, so that each word is
 * checked against only the rows that can match it. `bits` of the index are
 * gathered from the word by `of` (applied alike to words, masks and values).
 */
export interface DecoderIndex {
  readonly bits: number;
  readonly of: (word: number) => number;
}

/** A32: bits 27..20 and 7..4, the two fields the ARM ARM's own decode tables branch on. */
export const A32_INDEX: DecoderIndex = { bits: 12, of: (w) => (((w >>> 20) & 0xff) << 4) | ((w >>> 4) & 0xf) };

/** Whether row p's fixed bits match word (isUncond: its bits 31..28 are 0b1111, which no conditional row takes). */
function rowMatches<C>(p: CompiledPattern<C>, word: number, isUncond: boolean): boolean {
  return ((word & p.mask) >>> 0) === p.value && !(p.conditional && isUncond);
}

export class Decoder<C> {
  /**
   * Per index key, the rows that can match, filled at the key's first word:
   * filling all 2^bits keys up front cost each vCPU worker ~10 ms of its
   * start for keys a short program never meets (cold start, docs/translator.md).
   */
  private readonly buckets: (CompiledPattern<C>[] | undefined)[];
  private readonly indexOf: (word: number) => number;
  /** Per row: its mask and value projected onto the index bits. */
  private readonly projected: readonly (readonly [number, number])[];
  readonly patterns: readonly CompiledPattern<C>[];

  constructor(rows: readonly PatternRow<C>[], index: DecoderIndex = A32_INDEX) {
    this.patterns = rows.map(compilePattern);
    this.buckets = new Array<CompiledPattern<C>[] | undefined>(1 << index.bits);
    this.indexOf = index.of;
    this.projected = this.patterns.map((p) => [index.of(p.mask), index.of(p.value)] as const);
  }

  private bucket(key: number): CompiledPattern<C>[] {
    let list = this.buckets[key];
    if (list) return list;
    list = [];
    for (let i = 0; i < this.patterns.length; i++) {
      const [m, v] = this.projected[i]!;
      if ((key & m) === v) list.push(this.patterns[i]!);
    }
    this.buckets[key] = list;
    return list;
  }

  /** Rows whose fixed bits match `word`, in table order. */
  candidates(word: number): CompiledPattern<C>[] {
    const out: CompiledPattern<C>[] = [];
    const isUncond = word >>> 28 === 0xf;
    for (const p of this.bucket(this.indexOf(word))) if (rowMatches(p, word, isUncond)) out.push(p);
    return out;
  }

  /**
   * Runs the first handler that accepts the word. Returns the accepted pattern,
   * or null for UNDEFINED. `rollback` undoes a declining handler's partial work.
   */
  decode(ctx: C, word: number, rollback: () => void): CompiledPattern<C> | null {
    // candidates' test, without its array: this runs for every instruction translated.
    const isUncond = word >>> 28 === 0xf;
    const bucket = this.bucket(this.indexOf(word));
    for (let i = 0; i < bucket.length; i++) {
      const p = bucket[i]!;
      if (!rowMatches(p, word, isUncond)) continue;
      if (p.trans(ctx, extractFields(p, word))) return p;
      rollback();
    }
    return null;
  }
}
