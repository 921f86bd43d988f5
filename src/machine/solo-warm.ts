// The solo phase's worker made warm when the thread moves there at a clone
// (docs/translator.md "Start-up"). The first thread runs on the main thread
// first (solo-phase.ts); when it moves to slot 0's worker, that worker has
// translated nothing: with the phase off it would have translated every
// block of the program's start, and V8 would have compiled its translator;
// now it translates again each block the thread reaches, in a translator V8
// has not compiled yet, and V8's compiler threads compile it then. The
// steady bench's guest moves at its clone (pthread_create), and its main
// thread wakes on that worker at the timed section's start (the start gate,
// pthread_join): 11-14 ms of other threads' CPU on the one core the bench
// pins (session 11).
//
// So the main thread's vCPU records each TB it translates (SoloTbRecord:
// pc, instruction set state, its interpreted runs when the thread leaves),
// the record goes with the thread (ThreadAssignment.soloTbs), and after a
// clone the worker translates, before the thread goes on, those the phase ran
// DEFAULT_WARM_MIN_RUNS times or more (SoloWarmth.arrived): the new thread
// starts on a worker of its own meanwhile, which its creator mostly waits
// for. Each is made now by the worker's own vCPU from the guest's bytes with
// their code version (Vcpu.translateAhead), so a page changed since, or
// later, drops it as it drops any TB: the translations the cpu loop would
// have made when it got there. Other moves (a blocking syscall, the budget)
// go on at once and translate on demand: translating first would delay the
// syscall or the thread. Tried and not kept (session 12,
// reports/measurements/speed.md): the worker translating the main thread's
// TBs during the phase (from a shared log), which cost the long programs
// that end in the phase 145-228 ms more process CPU and saved nothing at a
// move at the budget; and translating every recorded TB after a clone, which
// leaves none to translate again but cost the conformance programs that
// move at a clone early 21-63 ms more CPU than it saved.
//
// --stats tells it in the thread's record: tbsAhead (TBs translated so) and
// tbsAgain (TBs the worker's cpu loop translated that the phase had made).
// MTTCG_WARM=0 turns the translation off (the counters stay);
// MTTCG_WARM_MIN_RUNS sets the least runs (0: every recorded TB).

import { coldMark } from '../host/cold-trace.js';
import { NR_clone } from '../emulator/linux-user/sys-clone.js';
import { tbKey } from '../emulator/arm/exec-state.js';
import type { TranslationBlock } from '../emulator/exec/translation-block.js';
import type { Vcpu } from '../emulator/exec/vcpu.js';

export const WARM_ENV = 'MTTCG_WARM';
export const WARM_MIN_RUNS_ENV = 'MTTCG_WARM_MIN_RUNS';
/**
 * The TBs translated ahead are those the phase ran at least this many times
 * (interpreted runs; a block compiled into a region counts its runs before).
 * What a moved thread needs again is mostly the library routines and loops
 * the phase ran repeatedly: the steady bench's guest translated 53 of the
 * phase's 687 TBs again without any; with these 102 ahead, 9 (session 12).
 * All of them (0) leave none to translate again, but cost the programs that
 * move at a clone early more CPU in the cold worker than they save
 * (reports/measurements/speed.md, "Session 12").
 */
export const DEFAULT_WARM_MIN_RUNS = 4;

/** The least runs in the phase of a TB translated ahead. */
function minRuns(): number {
  const text = process.env[WARM_MIN_RUNS_ENV];
  const n = text === undefined || text === '' ? DEFAULT_WARM_MIN_RUNS : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_WARM_MIN_RUNS;
}

/** The solo phase's side: the TBs its vCPU translated. */
export class SoloTbRecord {
  private readonly tbs: TranslationBlock[] = [];

  /** Vcpu.onTranslated. */
  readonly add = (tb: TranslationBlock): void => {
    this.tbs.push(tb);
  };

  /** pc, Env.EXEC_STATE and interpreted runs (-1: dropped since) of each, for ThreadAssignment.soloTbs. */
  take(): Int32Array {
    const tbs = this.tbs;
    const out = new Int32Array(3 * tbs.length);
    tbs.forEach((tb, i) => {
      out[3 * i] = tb.pc;
      out[3 * i + 1] = tb.execState;
      out[3 * i + 2] = tb.valid ? Math.min(tb.execs, 0x7fffffff) : -1;
    });
    return out;
  }
}

/** The worker's side, for the thread from the solo phase: `tbs` is its SoloTbRecord. */
export class SoloWarmth {
  /** TBs translated ahead. */
  ahead = 0;
  /** TBs the cpu loop translated that the phase had made too. */
  again = 0;
  private keys: Set<number> | null = null;

  constructor(private readonly tbs: Int32Array, private readonly vcpu: Vcpu) {}

  /** Vcpu.onTranslated on the worker: counts the TBs the phase had made (tbsAgain). */
  readonly count = (tb: TranslationBlock): void => {
    this.keys ??= this.keySet();
    if (this.keys.has(tb.key)) this.again++;
  };

  /** The thread is here, its pending syscall (its number, -1 if none) run: after a clone, translate those that ran often. */
  arrived(pendingNr: number): void {
    if (pendingNr !== NR_clone || process.env[WARM_ENV] === '0') return;
    const tbs = this.tbs;
    const min = minRuns();
    for (let i = 0; i < tbs.length; i += 3) {
      if (tbs[i + 2]! >= min && this.vcpu.translateAhead(tbs[i]!, tbs[i + 1]!)) this.ahead++;
    }
    coldMark('warm: the solo phase\'s TBs translated');
  }

  private keySet(): Set<number> {
    const keys = new Set<number>();
    const tbs = this.tbs;
    for (let i = 0; i < tbs.length; i += 3) keys.add(tbKey(tbs[i]!, tbs[i + 1]!));
    return keys;
  }
}
