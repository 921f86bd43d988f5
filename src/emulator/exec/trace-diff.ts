// Lockstep comparison of two register traces in qemu's `-d cpu` format
// (qemu-arm -singlestep -d cpu,nochain, and mttcg run --singlestep --trace):
// finds the first step where the pc sequence or the registers diverge.

export interface CpuState {
  readonly regs: readonly number[];
  readonly psr: number;
}

const REG = /R(\d\d)=([0-9a-f]{8})/g;

export function parseTrace(text: string): CpuState[] {
  const out: CpuState[] = [];
  let regs: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('PSR=')) {
      if (regs.length === 16) out.push({ regs, psr: parseInt(line.slice(4, 12), 16) });
      regs = [];
      continue;
    }
    for (const m of line.matchAll(REG)) regs[Number(m[1])] = parseInt(m[2]!, 16);
  }
  return out;
}

/** CPSR bits of the instruction set state: T and ITSTATE. */
const EXEC_STATE_BITS = 0x0600fc20;

export interface TraceDivergence {
  /** Index of the first differing step. */
  readonly step: number;
  readonly kind: 'pc' | 'registers' | 'flags' | 'state' | 'length';
  /** Registers (by number) that differ at that step. */
  readonly registers: number[];
  readonly left?: CpuState;
  readonly right?: CpuState;
}

/** Compares step by step; `ignore` lists registers not compared (pc is always compared). */
export function diffTraces(left: readonly CpuState[], right: readonly CpuState[], ignore: ReadonlySet<number> = new Set()): TraceDivergence | null {
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const a = left[i]!;
    const b = right[i]!;
    if (a.regs[15] !== b.regs[15]) return { step: i, kind: 'pc', registers: [15], left: a, right: b };
    const regs = a.regs.map((v, r) => (v !== b.regs[r] && !ignore.has(r) ? r : -1)).filter((r) => r >= 0);
    if (regs.length) return { step: i, kind: 'registers', registers: regs, left: a, right: b };
    // N Z C V, then the instruction set state: T (bit 5) and ITSTATE (bits 26..25, 15..10).
    if ((a.psr & 0xf0000000) !== (b.psr & 0xf0000000)) return { step: i, kind: 'flags', registers: [], left: a, right: b };
    if ((a.psr & EXEC_STATE_BITS) !== (b.psr & EXEC_STATE_BITS)) return { step: i, kind: 'state', registers: [], left: a, right: b };
  }
  if (left.length !== right.length) return { step: n, kind: 'length', registers: [] };
  return null;
}

export function formatState(s: CpuState): string {
  const h = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
  return s.regs.map((v, r) => `R${String(r).padStart(2, '0')}=${h(v)}`).join(' ') + ` PSR=${h(s.psr)}`;
}
