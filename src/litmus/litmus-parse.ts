// Parser for herd-style `.litmus` files in the A32 dialect:
//
//   ARM NAME
//   "optional doc string"
//   Key=Value                     (info lines: Expected, Source, Claim, ...)
//   { x=0; 0:R0=x; 1:R2=1; }      (initial state; absent values are 0)
//    P0          | P1          ;
//    STR R1,[R0] | LDR R1,[R0] ;
//   locations [x; 0:R1;]          (optional: more values for the histogram)
//   exists (1:R1=1 /\ 1:R3=0)     (or ~exists, forall; /\ \/ ~ and parentheses)
//
// Comments are OCaml-style (* ... *). Every error names the file and line.

import type { Address, ArmVerdict, Condition, InitValue, Instruction, LitmusTest, Observable, Operand, Proposition, Quantifier } from './litmus-test.js';
import { BARRIER_OPTIONS, TEST_REGISTER_LIMIT, type BarrierOption } from './litmus-test.js';

export class LitmusParseError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'LitmusParseError';
  }
}

interface Line {
  readonly no: number;
  readonly text: string;
}

const LOCATION_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_THREADS = 8;

/** Blanks out (* ... *) comments, keeping line breaks so that line numbers stay right. */
function stripComments(text: string, file: string): string {
  let out = '';
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (c === '(' && text[i + 1] === '*') {
      depth++;
      i++;
      out += '  ';
      continue;
    }
    if (depth > 0 && c === '*' && text[i + 1] === ')') {
      depth--;
      i++;
      out += '  ';
      continue;
    }
    out += depth > 0 && c !== '\n' ? ' ' : c;
  }
  if (depth > 0) throw new LitmusParseError(file, line, 'unterminated (* comment');
  return out;
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t) >>> 0;
  if (/^0x[0-9a-f]+$/i.test(t)) return Number(t) >>> 0;
  return null;
}

export function parseLitmus(source: string, file = '<litmus>'): LitmusTest {
  const lines: Line[] = stripComments(source, file).split('\n').map((text, i) => ({ no: i + 1, text: text.trim() }));
  let at = 0;
  const fail = (line: number, message: string): never => {
    throw new LitmusParseError(file, line, message);
  };
  const skipBlank = (): void => {
    while (at < lines.length && lines[at]!.text === '') at++;
  };

  skipBlank();
  const head = lines[at];
  if (!head) fail(lines.length, 'empty file');
  const m = /^(\S+)\s+(\S+)$/.exec(head!.text);
  if (!m) fail(head!.no, `expected 'ARM NAME' (got '${head!.text}')`);
  if (m![1]!.toUpperCase() !== 'ARM') fail(head!.no, `architecture '${m![1]}' is not ARM (only the A32 dialect is supported)`);
  const name = m![2]!;
  at++;

  let doc = '';
  const info: Record<string, string> = {};
  for (;;) {
    skipBlank();
    const l = lines[at];
    if (!l) fail(lines.length, 'no initial state { ... }');
    if (l!.text.startsWith('{')) break;
    if (l!.text.startsWith('"')) {
      if (!l!.text.endsWith('"') || l!.text.length < 2) fail(l!.no, 'unterminated doc string');
      doc = l!.text.slice(1, -1);
    } else {
      const eq = l!.text.indexOf('=');
      if (eq <= 0) fail(l!.no, `expected Key=Value or '{' (got '${l!.text}')`);
      info[l!.text.slice(0, eq).trim()] = l!.text.slice(eq + 1).trim();
    }
    at++;
  }

  // The initial state: everything up to the closing brace.
  const initStart = lines[at]!.no;
  let initText = '';
  for (;;) {
    const l = lines[at];
    if (!l) fail(initStart, 'initial state: no closing }');
    at++;
    const close = l!.text.indexOf('}');
    if (close >= 0) {
      initText += ` ${l!.text.slice(0, close)}`;
      if (l!.text.slice(close + 1).trim() !== '') fail(l!.no, 'text after the initial state\'s }');
      break;
    }
    initText += ` ${l!.text}`;
  }
  initText = initText.replace(/^\s*\{/, '');

  const locations: string[] = [];
  const addLocation = (loc: string, line: number): void => {
    if (!LOCATION_RE.test(loc) || /^r\d+$/i.test(loc)) fail(line, `'${loc}' is not a location name`);
    if (!locations.includes(loc)) locations.push(loc);
  };
  const locationInit = new Map<string, number>();
  const registerInitEntries: { thread: number; reg: number; value: InitValue; line: number }[] = [];
  for (const item of initText.split(';')) {
    const t = item.trim().replace(/^(int|uint32_t|int32_t)\s+/, '');
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq <= 0) fail(initStart, `initial state: expected NAME=VALUE (got '${t}')`);
    const lhs = t.slice(0, eq).trim();
    const rhs = t.slice(eq + 1).trim().replace(/^&/, '');
    const reg = /^(\d+):\s*[rR](\d+)$/.exec(lhs);
    const num = parseNumber(rhs);
    if (reg) {
      const value: InitValue = num !== null ? { kind: 'value', value: num } : { kind: 'address', location: rhs };
      if (value.kind === 'address') addLocation(rhs, initStart);
      registerInitEntries.push({ thread: Number(reg[1]), reg: Number(reg[2]), value, line: initStart });
    } else {
      addLocation(lhs, initStart);
      if (num === null) fail(initStart, `initial state: location ${lhs} needs a number (got '${rhs}')`);
      locationInit.set(lhs, num!);
    }
  }

  // The code: a header row 'P0 | P1 ;' and one row per instruction slot.
  skipBlank();
  const header = lines[at];
  if (!header) fail(lines.length, 'no thread code');
  const cols = splitRow(header!.text);
  if (cols.length === 0 || cols.length > MAX_THREADS) fail(header!.no, `expected 1 to ${MAX_THREADS} threads 'P0 | P1 ... ;'`);
  cols.forEach((c, i) => {
    if (c.toUpperCase() !== `P${i}`) fail(header!.no, `thread column ${i} is '${c}', expected P${i}`);
  });
  at++;
  const threads: Instruction[][] = cols.map(() => []);
  for (;;) {
    skipBlank();
    const l = lines[at];
    if (!l) fail(lines.length, 'no final condition (exists, ~exists or forall)');
    if (/^(exists|~\s*exists|forall|locations|filter)\b/.test(l!.text)) break;
    const cells = splitRow(l!.text);
    if (cells.length > threads.length) fail(l!.no, `${cells.length} columns, but ${threads.length} threads`);
    cells.forEach((cell, t) => {
      for (const ins of parseCell(cell, (msg) => fail(l!.no, `P${t}: ${msg}`))) threads[t]!.push(ins);
    });
    at++;
  }

  for (const e of registerInitEntries) {
    if (e.thread >= threads.length) fail(e.line, `initial state names thread ${e.thread}, but the test has ${threads.length}`);
    checkRegister(e.reg, (msg) => fail(e.line, msg));
  }
  const registerInit = threads.map((_, t) => new Map(registerInitEntries.filter((e) => e.thread === t).map((e) => [e.reg, e.value])));
  threads.forEach((code, t) => checkLabels(code, (msg) => fail(header!.no, `P${t}: ${msg}`)));

  const rest = lines.slice(at).filter((l) => l.text !== '');
  const restText = rest.map((l) => l.text).join(' ');
  const restLine = rest[0]?.no ?? lines.length;
  let condText = restText;
  const extraObserved: Observable[] = [];
  const loc = /^locations\s*\[([^\]]*)\]\s*/.exec(restText);
  if (loc) {
    for (const item of loc[1]!.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
      extraObserved.push(parseObservable(item, (msg) => fail(restLine, msg)));
    }
    condText = restText.slice(loc[0].length);
  }
  if (/^filter\b/.test(condText)) fail(restLine, 'filter clauses are not supported');
  const condition = parseCondition(condText, (msg) => fail(restLine, msg));
  const checkObservable = (o: Observable): void => {
    if (o.kind === 'loc') addLocation(o.location, restLine);
    else if (o.thread >= threads.length) fail(restLine, `condition names thread ${o.thread}, but the test has ${threads.length}`);
  };
  walkObservables(condition.prop, checkObservable);
  extraObserved.forEach(checkObservable);

  const expectedText = info['Expected']?.toLowerCase();
  let expected: ArmVerdict | null = null;
  if (expectedText !== undefined) {
    if (expectedText !== 'allowed' && expectedText !== 'forbidden') fail(head!.no, `Expected=${info['Expected']}: write Allowed or Forbidden`);
    expected = expectedText as ArmVerdict;
  }
  return {
    name, doc, info, locations, locationInit, registerInit, threads, condition, extraObserved, expected,
    source: info['Source'] ?? null, claim: info['Claim'] ?? null,
  };
}

/** The cells of a code row 'a | b | c ;' (the trailing ';' optional). */
function splitRow(text: string): string[] {
  const body = text.endsWith(';') ? text.slice(0, -1) : text;
  return body.split('|').map((c) => c.trim());
}

function checkRegister(reg: number, fail: (m: string) => never): void {
  if (reg > TEST_REGISTER_LIMIT) fail(`r${reg}: tests may use r0-r${TEST_REGISTER_LIMIT} (the harness keeps the others)`);
}

function checkLabels(code: readonly Instruction[], fail: (m: string) => never): void {
  const labels = new Set<string>();
  for (const ins of code) {
    if (ins.op !== 'label') continue;
    if (labels.has(ins.label)) fail(`label ${ins.label} defined twice`);
    labels.add(ins.label);
  }
  for (const ins of code) {
    if ((ins.op === 'b' || ins.op === 'beq' || ins.op === 'bne') && !labels.has(ins.label)) fail(`branch to unknown label ${ins.label}`);
  }
}

function parseRegister(text: string, fail: (m: string) => never): number {
  const m = /^[rR](\d+)$/.exec(text.trim());
  if (!m) fail(`'${text.trim()}' is not a register`);
  const reg = Number(m![1]);
  checkRegister(reg, fail);
  return reg;
}

function parseOperand(text: string, fail: (m: string) => never): Operand {
  const t = text.trim();
  if (t.startsWith('#')) {
    const v = parseNumber(t.slice(1));
    if (v === null) fail(`'${t}' is not an immediate`);
    return { kind: 'imm', value: v! };
  }
  return { kind: 'reg', reg: parseRegister(t, fail) };
}

function parseAddress(text: string, fail: (m: string) => never): Address {
  const m = /^\[([^\],]+)(?:,([^\]]+))?\]$/.exec(text.replace(/\s+/g, ''));
  if (!m) fail(`'${text.trim()}' is not an address [Rn], [Rn,#imm] or [Rn,Rm]`);
  const base = parseRegister(m![1]!, fail);
  const offset: Operand = m![2] === undefined ? { kind: 'imm', value: 0 } : parseOperand(m![2], fail);
  return { base, offset };
}

/** Operands split at top-level commas (not inside [...]). */
function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function parseCell(cell: string, fail: (m: string) => never): Instruction[] {
  const out: Instruction[] = [];
  let text = cell.trim();
  const label = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(text);
  if (label) {
    out.push({ op: 'label', label: label[1]! });
    text = text.slice(label[0].length).trim();
  }
  if (text === '') return out;
  const sp = text.search(/\s/);
  const mnemonic = (sp < 0 ? text : text.slice(0, sp)).toLowerCase();
  const ops = sp < 0 ? [] : splitOperands(text.slice(sp + 1));
  const want = (n: number): void => {
    if (ops.length !== n) fail(`${mnemonic} takes ${n} operand(s), got ${ops.length} in '${text}'`);
  };
  switch (mnemonic) {
    case 'ldr': case 'str': case 'ldrex':
      want(2);
      out.push({ op: mnemonic, rt: parseRegister(ops[0]!, fail), addr: parseAddress(ops[1]!, fail) });
      break;
    case 'strex': {
      want(3);
      const addr = parseAddress(ops[2]!, fail);
      if (addr.offset.kind !== 'imm' || addr.offset.value !== 0) fail('strex takes [Rn] only');
      out.push({ op: 'strex', rd: parseRegister(ops[0]!, fail), rt: parseRegister(ops[1]!, fail), addr });
      break;
    }
    case 'dmb': case 'dsb': {
      const option = (ops[0] ?? 'sy').toLowerCase();
      if (ops.length > 1 || !Object.hasOwn(BARRIER_OPTIONS, option)) fail(`${mnemonic} option '${ops.join(',')}' (one of ${Object.keys(BARRIER_OPTIONS).join(', ')})`);
      out.push({ op: mnemonic, option: option as BarrierOption });
      break;
    }
    case 'isb':
      want(0);
      out.push({ op: 'isb' });
      break;
    case 'mov':
      want(2);
      out.push({ op: 'mov', rd: parseRegister(ops[0]!, fail), src: parseOperand(ops[1]!, fail) });
      break;
    case 'add': case 'sub': case 'eor': case 'and':
      want(3);
      out.push({ op: mnemonic, rd: parseRegister(ops[0]!, fail), rn: parseRegister(ops[1]!, fail), src: parseOperand(ops[2]!, fail) });
      break;
    case 'cmp':
      want(2);
      out.push({ op: 'cmp', rn: parseRegister(ops[0]!, fail), src: parseOperand(ops[1]!, fail) });
      break;
    case 'b': case 'beq': case 'bne':
      want(1);
      if (!LOCATION_RE.test(ops[0]!)) fail(`'${ops[0]}' is not a label`);
      out.push({ op: mnemonic, label: ops[0]! });
      break;
    default:
      fail(`unsupported instruction '${mnemonic}' (LDR, STR, LDREX, STREX, DMB, DSB, ISB, MOV, ADD, SUB, EOR, AND, CMP, B, BEQ, BNE)`);
  }
  return out;
}

function parseObservable(text: string, fail: (m: string) => never): Observable {
  const t = text.trim();
  const reg = /^(\d+):\s*[rR](\d+)$/.exec(t);
  if (reg) {
    const r = Number(reg[2]);
    checkRegister(r, fail);
    return { kind: 'reg', thread: Number(reg[1]), reg: r };
  }
  const loc = t.replace(/^\[(.*)\]$/, '$1').trim();
  if (!LOCATION_RE.test(loc)) fail(`'${t}' is neither T:Rn nor a location`);
  return { kind: 'loc', location: loc };
}

function walkObservables(p: Proposition, fn: (o: Observable) => void): void {
  if (p.kind === 'eq') fn(p.what);
  else if (p.kind === 'and' || p.kind === 'or') {
    walkObservables(p.left, fn);
    walkObservables(p.right, fn);
  } else if (p.kind === 'not') walkObservables(p.inner, fn);
}

/** quantifier proposition, with \/ binding looser than /\ and ~ tightest. */
function parseCondition(text: string, fail: (m: string) => never): Condition {
  const q = /^(exists|~\s*exists|forall)\s*/.exec(text);
  if (!q) fail(`expected exists, ~exists or forall (got '${text.slice(0, 40)}')`);
  const quantifier = q![1]!.replace(/\s+/g, '') as Quantifier;
  const tokens = text.slice(q![0].length).match(/\/\\|\\\/|~|\(|\)|[^\s()~\\/]+(?:\s*=\s*[^\s()~\\/]+)?/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const orExpr = (): Proposition => {
    let left = andExpr();
    while (peek() === '\\/') {
      i++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Proposition => {
    let left = unary();
    while (peek() === '/\\') {
      i++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Proposition => {
    const t = tokens[i++];
    if (t === undefined) fail('the condition ends too early');
    if (t === '~' || t === 'not') return { kind: 'not', inner: unary() };
    if (t === '(') {
      const inner = orExpr();
      if (tokens[i++] !== ')') fail('missing ) in the condition');
      return inner;
    }
    if (t === 'true' || t === 'false') return { kind: 'const', value: t === 'true' };
    const eq = t!.indexOf('=');
    if (eq <= 0) fail(`expected T:Rn=V or LOCATION=V in the condition (got '${t}')`);
    const value = parseNumber(t!.slice(eq + 1));
    if (value === null) fail(`'${t}': the value must be a number`);
    return { kind: 'eq', what: parseObservable(t!.slice(0, eq), fail), value: value! };
  };
  const prop = orExpr();
  if (i < tokens.length) fail(`unexpected '${tokens[i]}' in the condition`);
  return { quantifier, prop };
}
