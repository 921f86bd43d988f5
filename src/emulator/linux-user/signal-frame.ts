// The signal frames the 32-bit ARM kernel pushes on the user stack
// (arch/arm/kernel/signal.c, uapi asm/sigcontext.h and asm/ucontext.h):
//
//   struct sigframe    { struct ucontext uc; unsigned long retcode[2]; }        752 bytes
//   struct rt_sigframe { struct siginfo info; struct sigframe sig; }          880 bytes
//
//   struct ucontext (744 bytes, offsets in bytes)
//     0 uc_flags   4 uc_link   8 uc_stack {ss_sp, ss_flags, ss_size}
//    20 uc_mcontext = struct sigcontext (84 bytes):
//         +0 trap_no  +4 error_code  +8 oldmask  +12..+72 r0..r15  +76 cpsr  +80 fault_address
//   104 uc_sigmask (8 bytes used of 128)
//   232 uc_regspace[128] (8-aligned): coprocessor records, then a zero word
//
// The frame sits at (sp - size) & ~7. The kernel writes only what it
// fills in: a non-rt frame keeps uc_link and uc_stack as they were and sets
// uc_flags to 0x5ac3c35a; the rest of uc_sigmask is untouched; retcode[] is
// written only when the action has no SA_RESTORER.

import type { KernelAccess } from '../softmmu/kernel-access.js';
import { saveCoprocessorArea } from './signal-cpu-state.js';
import { SIGINFO_BYTES, type SigInfo, writeSigInfo } from './siginfo.js';

export const UCONTEXT_BYTES = 744;
export const SIGFRAME_BYTES = UCONTEXT_BYTES + 8;
export const RT_SIGFRAME_BYTES = SIGINFO_BYTES + SIGFRAME_BYTES;

const UC_FLAGS = 0;
const UC_STACK = 8;
const UC_MCONTEXT = 20;
const UC_SIGMASK = 104;
const UC_REGSPACE = 232;
const REGSPACE_BYTES = 512;
const SC_TRAP_NO = 0;
const SC_ERROR_CODE = 4;
const SC_OLDMASK = 8;
const SC_R0 = 12;
const SC_CPSR = 76;
const SC_FAULT_ADDRESS = 80;
/** sigcontext + the used part of uc_sigmask: one contiguous write. */
const MCONTEXT_AND_MASK_BYTES = UC_SIGMASK + 8 - UC_MCONTEXT;

/** uc_flags of a non-rt frame: a value trap_no never has (the kernel's marker). */
const SIGFRAME_UC_FLAGS = 0x5ac3c35a;

/** What the fault that raised a signal left in the thread (the kernel's thread.trap_no/error_code/address). */
export interface FaultRecord {
  trapNo: number;
  errorCode: number;
  address: number;
}

export interface FrameContents {
  /** The registers r0..r15 and the cpsr to save. */
  readonly regs: ArrayLike<number>;
  readonly cpsr: number;
  /** The mask to restore on sigreturn. */
  readonly mask: readonly [number, number];
  readonly fault: FaultRecord;
  /** The alternate stack as sigaltstack(2) would report it at the interrupted sp (rt frames only). */
  readonly altStack: readonly [number, number, number];
  /** rt_sigframe (SA_SIGINFO): the siginfo to write; null for a plain sigframe. */
  readonly info: SigInfo | null;
  /** Two instruction words for retcode[] (no SA_RESTORER), or null. */
  readonly retcode: readonly [number, number] | null;
  /** The vCPU, for the coprocessor area. */
  readonly env: Int32Array;
}

export function frameBytes(rt: boolean): number {
  return rt ? RT_SIGFRAME_BYTES : SIGFRAME_BYTES;
}

/** Where a frame of this kind goes below sp (8-byte aligned, as ATPCS wants). */
export function frameAddress(sp: number, rt: boolean): number {
  return ((sp >>> 0) - frameBytes(rt)) & ~7;
}

/** The ucontext's address inside a frame at `frame`. */
export function ucontextOf(frame: number, rt: boolean): number {
  return (rt ? frame + SIGINFO_BYTES : frame) >>> 0;
}

function words(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

/** Writes a frame at `frame`; throws BadGuestAddress (nothing written) if it does not fit in writable memory. */
export function writeSignalFrame(access: KernelAccess, frame: number, c: FrameContents): void {
  const rt = c.info !== null;
  access.check(frame, frameBytes(rt), true);
  const uc = ucontextOf(frame, rt);
  if (rt) {
    writeSigInfo(access, frame, c.info!);
    access.write(uc + UC_FLAGS, words([0, 0, ...c.altStack]));
  } else {
    access.write(uc + UC_FLAGS, words([SIGFRAME_UC_FLAGS]));
  }
  const sc = new DataView(new ArrayBuffer(MCONTEXT_AND_MASK_BYTES));
  sc.setInt32(SC_TRAP_NO, c.fault.trapNo, true);
  sc.setInt32(SC_ERROR_CODE, c.fault.errorCode, true);
  sc.setInt32(SC_OLDMASK, c.mask[0], true);
  for (let r = 0; r < 16; r++) sc.setInt32(SC_R0 + 4 * r, c.regs[r]!, true);
  sc.setInt32(SC_CPSR, c.cpsr, true);
  sc.setInt32(SC_FAULT_ADDRESS, c.fault.address, true);
  sc.setInt32(UC_SIGMASK - UC_MCONTEXT, c.mask[0], true);
  sc.setInt32(UC_SIGMASK - UC_MCONTEXT + 4, c.mask[1], true);
  access.write(uc + UC_MCONTEXT, new Uint8Array(sc.buffer));
  const area = new DataView(new ArrayBuffer(REGSPACE_BYTES));
  const used = saveCoprocessorArea(c.env, area);
  area.setInt32(used, 0, true); // end magic
  access.write(uc + UC_REGSPACE, new Uint8Array(area.buffer, 0, used + 4));
  if (c.retcode) access.write(uc + UCONTEXT_BYTES, words([...c.retcode]));
}

/** What sigreturn takes back from a frame. */
export interface RestoredContext {
  readonly regs: Int32Array;
  readonly cpsr: number;
  readonly mask: readonly [number, number];
  /** uc_stack, for rt_sigreturn's restore_altstack. */
  readonly altStack: readonly [number, number, number];
  /** The coprocessor area, handed to restoreCoprocessorArea once the rest is accepted. */
  readonly area: DataView;
}

/** Reads the ucontext at uc (throws BadGuestAddress if unreadable). */
export function readSignalContext(access: KernelAccess, uc: number): RestoredContext {
  const bytes = access.read(uc, UCONTEXT_BYTES);
  const v = new DataView(bytes.buffer);
  const regs = new Int32Array(16);
  for (let r = 0; r < 16; r++) regs[r] = v.getInt32(UC_MCONTEXT + SC_R0 + 4 * r, true);
  return {
    regs,
    cpsr: v.getInt32(UC_MCONTEXT + SC_CPSR, true),
    mask: [v.getInt32(UC_SIGMASK, true), v.getInt32(UC_SIGMASK + 4, true)],
    altStack: [v.getInt32(UC_STACK, true), v.getInt32(UC_STACK + 4, true), v.getInt32(UC_STACK + 8, true)],
    area: new DataView(bytes.buffer, UC_REGSPACE, REGSPACE_BYTES),
  };
}

