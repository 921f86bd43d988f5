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

export interface CompiledPattern<C> {
  readonly name: string;
  readonly mask: number;
  readonly value: number;
  /** True when bits 31..28 are a condition field: such rows never match cond=0b1111. */
  readonly conditional: boolean;
  /** The field letters, in the picture's order. */
  readonly fieldNames: readonly string[];
  /**
   * The fields' runs of bits, flat: three numbers per run (shift, mask of
   * its width, 2^width), each field's runs from most to least significant,
   * field k's ending before index fieldEnds[k]. Plain numbers and indexed
   * loops: extractFields runs for every instruction translated, mostly
   * unoptimised in a new vCPU worker, where an array's destructuring or
   * for-of calls V8's iterator protocol per element.
   */
  readonly runs: readonly number[];
  readonly fieldEnds: readonly number[];
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
  const fieldNames: string[] = [];
  const runs: number[] = [];
  const fieldEnds: number[] = [];
  for (const [name, fieldRuns] of runsByName) {
    fieldNames.push(name);
    for (const [shift, width] of fieldRuns) runs.push(shift, width >= 32 ? -1 : (1 << width) - 1, 2 ** width);
    fieldEnds.push(runs.length);
  }
  const conditional = /^cccc/.test(pic);
  return {
    name: row.name, mask: mask >>> 0, value: value >>> 0, conditional, fieldNames, runs, fieldEnds, fixed: row.fixed, trans: row.trans,
  };
}

export function extractFields<C>(p: CompiledPattern<C>, word: number): Record<string, number> {
  const out: Record<string, number> = {};
  const { fieldNames, runs, fieldEnds } = p;
  let r = 0;
  for (let k = 0; k < fieldNames.length; k++) {
    let v = 0;
    // A run of 32 bits (mask -1) is the field's only one: v is 0, and >>> 0 below makes it unsigned.
    for (const end = fieldEnds[k]!; r < end; r += 3) v = v * runs[r + 2]! + ((word >>> runs[r]!) & runs[r + 1]!);
    out[fieldNames[k]!] = v >>> 0;
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
  /**
   * Per row: its mask and its value projected onto the index bits. Typed
   * arrays and an indexed loop: a bucket is filled at its key's first word,
   * a few hundred times in a short program, in code V8 runs unoptimised.
   */
  private readonly projectedMask: Int32Array;
  private readonly projectedValue: Int32Array;
  readonly patterns: readonly CompiledPattern<C>[];

  constructor(rows: readonly PatternRow<C>[], index: DecoderIndex = A32_INDEX) {
    this.patterns = rows.map(compilePattern);
    this.buckets = new Array<CompiledPattern<C>[] | undefined>(1 << index.bits);
    this.indexOf = index.of;
    this.projectedMask = Int32Array.from(this.patterns, (p) => index.of(p.mask));
    this.projectedValue = Int32Array.from(this.patterns, (p) => index.of(p.value));
  }

  private bucket(key: number): CompiledPattern<C>[] {
    let list = this.buckets[key];
    if (list) return list;
    list = [];
    const masks = this.projectedMask;
    const values = this.projectedValue;
    for (let i = 0; i < masks.length; i++) if ((key & masks[i]!) === values[i]) list.push(this.patterns[i]!);
    this.buckets[key] = list;
    return list;
  }

  /** Rows whose fixed bits match `word`, in table order. */
  candidates(word: number): CompiledPattern<C>[] {
    const out: CompiledPattern<C>[] = [];
    const isUncond = word >>> 28 === 0xf;
    const bucket = this.bucket(this.indexOf(word));
    for (let i = 0; i < bucket.length; i++) if (rowMatches(bucket[i]!, word, isUncond)) out.push(bucket[i]!);
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
