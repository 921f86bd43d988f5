// A parsed ARM litmus test (herd's `.litmus` format, A32 dialect): its
// threads' instructions, the initial state, the final condition, and the
// verdict the ARM model gives it with the source of that verdict.

/** Registers a test may use: r0-r8 (r9-r12 and lr belong to the harness, see litmus-program.ts). */
export const TEST_REGISTER_LIMIT = 8;

export type Operand =
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'imm'; readonly value: number };

/** An address operand: [rn], [rn, #imm] or [rn, rm]. */
export interface Address {
  readonly base: number;
  readonly offset: Operand;
}

export type Instruction =
  | { readonly op: 'ldr' | 'str'; readonly rt: number; readonly addr: Address }
  | { readonly op: 'ldrex'; readonly rt: number; readonly addr: Address }
  | { readonly op: 'strex'; readonly rd: number; readonly rt: number; readonly addr: Address }
  | { readonly op: 'dmb' | 'dsb'; readonly option: BarrierOption }
  | { readonly op: 'isb' }
  | { readonly op: 'mov'; readonly rd: number; readonly src: Operand }
  | { readonly op: 'add' | 'sub' | 'eor' | 'and'; readonly rd: number; readonly rn: number; readonly src: Operand }
  | { readonly op: 'cmp'; readonly rn: number; readonly src: Operand }
  | { readonly op: 'b' | 'beq' | 'bne'; readonly label: string }
  | { readonly op: 'label'; readonly label: string };

/** DMB/DSB option names and their 4-bit field (ARM ARM A8.8.43). */
export const BARRIER_OPTIONS = { sy: 0xf, st: 0xe, ish: 0xb, ishst: 0xa, nsh: 0x7, nshst: 0x6, osh: 0x3, oshst: 0x2 } as const;
export type BarrierOption = keyof typeof BARRIER_OPTIONS;

/** A register's or location's initial value: a number, or the address of a location. */
export type InitValue = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'address'; readonly location: string };

/** What a condition atom names: thread T's register, or a memory location's final value. */
export type Observable = { readonly kind: 'reg'; readonly thread: number; readonly reg: number } | { readonly kind: 'loc'; readonly location: string };

export type Proposition =
  | { readonly kind: 'eq'; readonly what: Observable; readonly value: number }
  | { readonly kind: 'and' | 'or'; readonly left: Proposition; readonly right: Proposition }
  | { readonly kind: 'not'; readonly inner: Proposition }
  | { readonly kind: 'const'; readonly value: boolean };

/** exists P: validated if some run satisfies P; ~exists: if none does; forall: if all do. */
export type Quantifier = 'exists' | '~exists' | 'forall';

export interface Condition {
  readonly quantifier: Quantifier;
  readonly prop: Proposition;
}

/** What the ARM architecture says about the condition's proposition: may a run satisfy it? */
export type ArmVerdict = 'allowed' | 'forbidden';

export interface LitmusTest {
  readonly name: string;
  /** The file's quoted doc string, if any. */
  readonly doc: string;
  /** key=value lines between the name and the initial state (Expected, Source, Claim, ...). */
  readonly info: Readonly<Record<string, string>>;
  /** Memory locations in order of first appearance; each gets a word per run. */
  readonly locations: readonly string[];
  /** Initial values of locations (absent: 0). */
  readonly locationInit: ReadonlyMap<string, number>;
  /** Per thread: register -> initial value (absent: 0). */
  readonly registerInit: readonly ReadonlyMap<number, InitValue>[];
  readonly threads: readonly (readonly Instruction[])[];
  readonly condition: Condition;
  /** Extra observables printed in the histogram (herd's `locations [...]`). */
  readonly extraObserved: readonly Observable[];
  /** From `Expected=Allowed|Forbidden`; null when the file does not say. */
  readonly expected: ArmVerdict | null;
  /** From `Source=...`: where the verdict comes from. */
  readonly source: string | null;
  /**
   * From `Claim=CASE`: the torture case (src/emulator/atomics/guarantees.ts)
   * whose guarantee covers this test's forbidden outcome. A column whose
   * strategy does not claim that case passes (e.g. an ABA under cmpxchg) is
   * excused when it shows the outcome; its count is still printed.
   */
  readonly claim: string | null;
}

export function observableText(o: Observable): string {
  return o.kind === 'reg' ? `${o.thread}:r${o.reg}` : o.location;
}

export function sameObservable(a: Observable, b: Observable): boolean {
  if (a.kind === 'reg') return b.kind === 'reg' && a.thread === b.thread && a.reg === b.reg;
  return b.kind === 'loc' && a.location === b.location;
}

/** Every observable the condition names, in order of first appearance. */
export function conditionObservables(p: Proposition, out: Observable[] = []): Observable[] {
  if (p.kind === 'eq') {
    if (!out.some((o) => sameObservable(o, p.what))) out.push(p.what);
  } else if (p.kind === 'and' || p.kind === 'or') {
    conditionObservables(p.left, out);
    conditionObservables(p.right, out);
  } else if (p.kind === 'not') conditionObservables(p.inner, out);
  return out;
}

/** Evaluates the proposition on one run's values (read through `valueOf`). */
export function holds(p: Proposition, valueOf: (o: Observable) => number): boolean {
  switch (p.kind) {
    case 'eq': return valueOf(p.what) === (p.value >>> 0);
    case 'and': return holds(p.left, valueOf) && holds(p.right, valueOf);
    case 'or': return holds(p.left, valueOf) || holds(p.right, valueOf);
    case 'not': return !holds(p.inner, valueOf);
    case 'const': return p.value;
  }
}

export function propositionText(p: Proposition, top = true): string {
  let s: string;
  switch (p.kind) {
    case 'eq': return `${observableText(p.what)}=${p.value >>> 0}`;
    case 'const': return p.value ? 'true' : 'false';
    case 'not': return `~(${propositionText(p.inner)})`;
    case 'and': s = `${propositionText(p.left, false)} /\\ ${propositionText(p.right, false)}`; break;
    case 'or': s = `${propositionText(p.left, false)} \\/ ${propositionText(p.right, false)}`; break;
  }
  return top ? s : `(${s})`;
}
