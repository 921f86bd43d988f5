// Turns a litmus test into a static A32 Linux ELF that runs it `runs` times,
// with machine code written here (no compiler between the test's
// instructions and the guest: what the file says is what runs).
//
// Thread 0 is the program's first thread; it creates threads 1..T-1 with
// clone(CLONE_VM|CLONE_THREAD|...). Every thread then loops over the runs:
//
//   barrier:  the thread stores i+1 to its own arrival word, DMB, then spins
//             until every other thread's arrival word reaches i+1 (plain
//             loads and stores only, so that the barrier works under every
//             strategy, unsafe too; sched_yield every 1024 loads), DMB: the
//             threads start each run together, as litmus7's do
//   stagger:  a delay loop of 0..DELAY_MAX iterations on registers only,
//             its length a hash of (run, thread), so that the threads' start
//             offsets vary from run to run and the bodies overlap in
//             different ways (without it each run repeats the barrier's own
//             order: the last thread to arrive always starts first)
//   set-up:   every register the thread uses: a location's register gets
//             that location's word for run i, others their initial value
//   body:     the test's instructions, unchanged
//   save:     the registers the condition observes -> results[t][reg][i]
//
// Each run has its own word per location (locations[loc][i], set to the
// initial value in the ELF's data), so no run sees another's stores and
// nothing needs resetting. When all threads are done (each stores to its own
// done word; thread 0 waits for them, DMB), thread 0 writes the location arrays and the results to stdout with write(2) and
// exits. The host reads them back (decodeRuns). The guest prints no text.
//
// Register use: the test owns r0-r8; the harness keeps r9 (4*i), r10-r12
// and lr (i+1, the barrier's target) and may clobber r0-r8 before the set-up.

import { CodeBuffer } from '../../harness/random-diff/code-buffer.js';
import { writeElf, PF_R, PF_W, PF_X } from '../../harness/random-diff/elf-image.js';
import { branch, Cond, dataProcessing, dmb, emitA32, emitTestInstruction, loadStore, lsrImm, movImm32, mul, registersOf, subsOne, svc0 } from './litmus-a32.js';
import { conditionObservables, sameObservable, type LitmusTest, type Observable } from './litmus-test.js';

export const TEXT_BASE = 0x00010000;
export const DATA_BASE = 0x00800000;
/** Thread t's arrival word (the last run it reached) and its done word. */
const arrivalWord = (t: number): number => DATA_BASE + 4 * t;
const doneWord = (t: number): number => DATA_BASE + 32 + 4 * t;
/** Where the output starts: the location arrays, then the results. */
const OUTPUT_BASE = DATA_BASE + 64;
const STACK_BYTES = 256;
/** The stagger's length is the top DELAY_BITS bits of a multiplicative hash of (run, thread). */
const DELAY_BITS = 8;
const GOLDEN = 0x9e3779b1;
/** A waiting thread calls sched_yield after this many loads of the counter (it helps the other threads onto a loaded host's cores; under --sched a yield is a scheduling point). */
const YIELD_EVERY = 1024;

const R_OFF = 9;
const R_S0 = 10;
const R_S1 = 11;
const R_ADDR = 12;
const LR = 14;

const SYS_EXIT = 1;
const SYS_WRITE = 4;
const SYS_CLONE = 120;
const SYS_SCHED_YIELD = 158;
const SYS_EXIT_GROUP = 248;
/** CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM */
const CLONE_THREAD_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000;
/** Exit status when clone or write fails. */
export const HARNESS_FAILURE_STATUS = 3;
export const MAX_RUNS = 1_000_000;

export interface LitmusProgram {
  readonly elf: Uint8Array;
  readonly runs: number;
  /** The values each run records, in output order after the location arrays. */
  readonly observedRegisters: readonly Observable[];
  /** Bytes the program writes to stdout. */
  readonly outputBytes: number;
  readonly listing: CodeBuffer['listing'];
}

/** The registers of thread t that the histogram shows: the condition's and `locations [...]`'s. */
function observedRegisters(test: LitmusTest): Observable[] {
  const all: Observable[] = [];
  for (const o of [...conditionObservables(test.condition.prop), ...test.extraObserved]) {
    if (o.kind === 'reg' && !all.some((a) => sameObservable(a, o))) all.push(o);
  }
  return all.sort((a, b) => (a.kind === 'reg' && b.kind === 'reg' ? a.thread - b.thread || a.reg - b.reg : 0));
}

export function buildLitmusProgram(test: LitmusTest, runs: number): LitmusProgram {
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) throw new Error(`runs must be 1..${MAX_RUNS} (got ${runs})`);
  const nThreads = test.threads.length;
  const observed = observedRegisters(test);
  const locationArray = (loc: string): number => OUTPUT_BASE + test.locations.indexOf(loc) * runs * 4;
  const resultsBase = OUTPUT_BASE + test.locations.length * runs * 4;
  const resultArray = (k: number): number => resultsBase + k * runs * 4;
  const outputBytes = (test.locations.length + observed.length) * runs * 4;
  const stacksBase = OUTPUT_BASE + outputBytes;
  const dataBytes = stacksBase - DATA_BASE + nThreads * STACK_BYTES;

  const buf = new CodeBuffer('a32', TEXT_BASE);
  const fixups: { addr: number; cond: Cond; label: string }[] = [];
  const labels = new Map<string, number>();
  const jump = (cond: Cond, label: string): void => {
    fixups.push({ addr: buf.addr, cond, label });
    emitA32(buf, branch(cond, buf.addr, buf.addr));
  };
  const syscall = (nr: number): void => {
    emitA32(buf, movImm32(7, nr));
    emitA32(buf, svc0());
  };
  const reg = (r: number) => ({ kind: 'reg', reg: r }) as const;
  const imm = (v: number) => ({ kind: 'imm', value: v }) as const;
  /** Spins until the word at R_ADDR is at least register `target` (unsigned), yielding every YIELD_EVERY loads, then DMB. */
  const spinUntil = (label: string, target: number): void => {
    emitA32(buf, dataProcessing('mov', R_S0, 0, imm(0)));
    labels.set(label, buf.addr);
    emitA32(buf, loadStore(true, R_S1, R_ADDR, imm(0)));
    emitA32(buf, dataProcessing('cmp', 0, R_S1, reg(target)));
    jump(Cond.HS, `${label}.go`);
    emitA32(buf, dataProcessing('add', R_S0, R_S0, imm(1)));
    emitA32(buf, dataProcessing('cmp', 0, R_S0, imm(YIELD_EVERY)));
    jump(Cond.LO, label);
    emitA32(buf, dataProcessing('mov', R_S0, 0, imm(0)));
    syscall(SYS_SCHED_YIELD);
    jump(Cond.AL, label);
    labels.set(`${label}.go`, buf.addr);
    emitA32(buf, dmb());
  };

  // Thread 0 starts the others, each on its own small stack.
  for (let t = 1; t < nThreads; t++) {
    emitA32(buf, movImm32(0, CLONE_THREAD_FLAGS));
    emitA32(buf, movImm32(1, stacksBase + (t + 1) * STACK_BYTES));
    for (const r of [2, 3, 4]) emitA32(buf, dataProcessing('mov', r, 0, imm(0)));
    syscall(SYS_CLONE);
    emitA32(buf, dataProcessing('cmp', 0, 0, imm(0)));
    jump(Cond.EQ, `T${t}`);
    jump(Cond.LT, 'fail');
  }
  jump(Cond.AL, 'T0');

  test.threads.forEach((code, t) => {
    labels.set(`T${t}`, buf.addr);
    emitA32(buf, dataProcessing('mov', R_OFF, 0, imm(0)));
    emitA32(buf, dataProcessing('mov', LR, 0, imm(0)));
    labels.set(`T${t}.run`, buf.addr);
    emitA32(buf, dataProcessing('add', LR, LR, imm(1)));
    emitA32(buf, dmb());
    emitA32(buf, movImm32(R_ADDR, arrivalWord(t)));
    emitA32(buf, loadStore(false, LR, R_ADDR, imm(0)));
    emitA32(buf, dmb());
    for (let u = 0; u < nThreads; u++) {
      if (u === t) continue;
      emitA32(buf, movImm32(R_ADDR, arrivalWord(u)));
      spinUntil(`T${t}.wait${u}`, LR);
    }
    emitA32(buf, movImm32(R_S0, (t * 0x3c6ef372 + 0x5bd1e995) >>> 0));
    emitA32(buf, dataProcessing('add', R_S1, R_OFF, reg(R_S0)));
    emitA32(buf, movImm32(R_S0, GOLDEN));
    emitA32(buf, mul(R_S1, R_S1, R_S0));
    emitA32(buf, lsrImm(R_S1, R_S1, 32 - DELAY_BITS));
    labels.set(`T${t}.stagger`, buf.addr);
    emitA32(buf, subsOne(R_S1, R_S1));
    jump(Cond.HS, `T${t}.stagger`);

    // Set-up: every register the thread touches, in register order.
    const used = new Set<number>([...code.flatMap(registersOf), ...test.registerInit[t]!.keys()]);
    for (const o of observed) if (o.kind === 'reg' && o.thread === t) used.add(o.reg);
    for (const r of [...used].sort((a, b) => a - b)) {
      const init = test.registerInit[t]!.get(r);
      if (init?.kind === 'address') {
        emitA32(buf, movImm32(r, locationArray(init.location)));
        emitA32(buf, dataProcessing('add', r, r, reg(R_OFF)));
      } else emitA32(buf, movImm32(r, init?.value ?? 0));
    }

    const bodyLabels = new Map<string, number>();
    const bodyFixups: typeof fixups = [];
    for (const ins of code) emitTestInstruction(buf, ins, bodyLabels, bodyFixups);
    for (const f of bodyFixups) {
      const e = branch(f.cond, f.addr, bodyLabels.get(f.label)!);
      buf.patch(f.addr, e.word, e.text);
    }

    observed.forEach((o, k) => {
      if (o.kind !== 'reg' || o.thread !== t) return;
      emitA32(buf, movImm32(R_ADDR, resultArray(k)));
      emitA32(buf, loadStore(false, o.reg, R_ADDR, reg(R_OFF)));
    });
    emitA32(buf, dataProcessing('add', R_OFF, R_OFF, imm(4)));
    emitA32(buf, movImm32(R_ADDR, runs * 4));
    emitA32(buf, dataProcessing('cmp', 0, R_OFF, reg(R_ADDR)));
    jump(Cond.LO, `T${t}.run`);

    emitA32(buf, dmb());
    if (t !== 0) {
      emitA32(buf, movImm32(R_ADDR, doneWord(t)));
      emitA32(buf, dataProcessing('mov', R_S0, 0, imm(1)));
      emitA32(buf, loadStore(false, R_S0, R_ADDR, imm(0)));
      emitA32(buf, dataProcessing('mov', 0, 0, imm(0)));
      syscall(SYS_EXIT);
      return;
    }
    // Thread 0: wait for the others, then write the results out.
    emitA32(buf, dataProcessing('mov', LR, 0, imm(1)));
    for (let u = 1; u < nThreads; u++) {
      emitA32(buf, movImm32(R_ADDR, doneWord(u)));
      spinUntil(`T0.join${u}`, LR);
    }
    emitA32(buf, movImm32(R_S0, OUTPUT_BASE));
    emitA32(buf, movImm32(R_S1, outputBytes));
    labels.set('write', buf.addr);
    emitA32(buf, dataProcessing('mov', 0, 0, imm(1)));
    emitA32(buf, dataProcessing('mov', 1, 0, reg(R_S0)));
    emitA32(buf, dataProcessing('mov', 2, 0, reg(R_S1)));
    syscall(SYS_WRITE);
    emitA32(buf, dataProcessing('cmp', 0, 0, imm(0)));
    jump(Cond.LT, 'fail');
    jump(Cond.EQ, 'fail');
    emitA32(buf, dataProcessing('add', R_S0, R_S0, reg(0)));
    emitA32(buf, dataProcessing('sub', R_S1, R_S1, reg(0)));
    emitA32(buf, dataProcessing('cmp', 0, R_S1, imm(0)));
    jump(Cond.NE, 'write');
    emitA32(buf, dataProcessing('mov', 0, 0, imm(0)));
    syscall(SYS_EXIT_GROUP);
  });
  labels.set('fail', buf.addr);
  emitA32(buf, dataProcessing('mov', 0, 0, imm(HARNESS_FAILURE_STATUS)));
  syscall(SYS_EXIT_GROUP);

  for (const f of fixups) {
    const target = labels.get(f.label);
    if (target === undefined) throw new Error(`internal: harness label ${f.label} missing`);
    const e = branch(f.cond, f.addr, target);
    buf.patch(f.addr, e.word, e.text);
  }

  const data = new Uint8Array(dataBytes);
  const view = new DataView(data.buffer);
  for (const loc of test.locations) {
    const init = test.locationInit.get(loc) ?? 0;
    const at = locationArray(loc) - DATA_BASE;
    for (let i = 0; i < runs; i++) view.setUint32(at + 4 * i, init, true);
  }
  const elf = writeElf({
    entry: TEXT_BASE,
    segments: [
      { vaddr: TEXT_BASE, bytes: buf.toBytes(), flags: PF_R | PF_X },
      { vaddr: DATA_BASE, bytes: data, flags: PF_R | PF_W },
    ],
  });
  return { elf, runs, observedRegisters: observed, outputBytes, listing: buf.listing };
}

/** One run's values: the final value of every location, then every observed register. */
export interface RunValues {
  readonly locations: ReadonlyMap<string, number>;
  readonly registers: readonly number[];
}

/** Reads the program's output back into per-run values (null: the output has the wrong size). */
export function decodeRuns(test: LitmusTest, program: LitmusProgram, out: Uint8Array): RunValues[] | null {
  if (out.length !== program.outputBytes) return null;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const { runs } = program;
  const word = (array: number, i: number): number => view.getUint32((array * runs + i) * 4, true);
  const nLoc = test.locations.length;
  const result: RunValues[] = [];
  for (let i = 0; i < runs; i++) {
    result.push({
      locations: new Map(test.locations.map((loc, k) => [loc, word(k, i)])),
      registers: program.observedRegisters.map((_, k) => word(nLoc + k, i)),
    });
  }
  return result;
}
