// The signal return trampolines: the code a handler returns to when its
// action has no SA_RESTORER. qemu-arm 7.2 keeps them in a page it maps after
// the program (0x3ffff000 for a static program; the loader places it where
// qemu-arm does, so that traces line up), laid out like the
// kernel's sigreturn_codes (arch/arm/kernel/sigreturn_codes.S) in 12-byte
// slots:
//
//   +0x00  mov r7, #119 ; swi 0x900077     ARM sigreturn
//   +0x0c  movs r7, #119 ; svc 0           Thumb sigreturn
//   +0x18  mov r7, #173 ; swi 0x9000ad     ARM rt_sigreturn
//   +0x24  movs r7, #173 ; svc 0           Thumb rt_sigreturn
//
// The ARM forms name the syscall both in r7 (EABI) and in the SWI immediate
// (OABI), so they work for either kind of program. The kernel also copies
// the two words into the frame's retcode[] "to remain ABI compliant".

import type { KernelAccess } from '../softmmu/kernel-access.js';

export const NR_sigreturn = 119;
export const NR_rt_sigreturn = 173;

const SLOT_BYTES = 12;

function armCode(nr: number): [number, number] {
  return [(0xe3a07000 | nr) | 0, (0xef900000 | nr) | 0];
}

function thumbCode(nr: number): [number, number] {
  return [((0xdf00 << 16) | 0x2700 | nr) | 0, 0];
}

/** Slot order: ARM sigreturn, Thumb sigreturn, ARM rt_sigreturn, Thumb rt_sigreturn. */
function slot(rt: boolean, thumb: boolean): number {
  return (rt ? 2 : 0) + (thumb ? 1 : 0);
}

/** The two words a frame's retcode[] gets. */
export function trampolineWords(rt: boolean, thumb: boolean): [number, number] {
  const nr = rt ? NR_rt_sigreturn : NR_sigreturn;
  return thumb ? thumbCode(nr) : armCode(nr);
}

/** The return address (lr) for a handler without SA_RESTORER; bit 0 set for Thumb. */
export function trampolineAddress(page: number, rt: boolean, thumb: boolean): number {
  return (page + SLOT_BYTES * slot(rt, thumb) + (thumb ? 1 : 0)) | 0;
}

/** Writes the four trampolines into the (read-only) sigreturn page at load time. */
export function writeSigreturnPage(access: KernelAccess, pageAddr: number): void {
  const page = new Int32Array(4 * SLOT_BYTES / 4);
  for (const rt of [false, true]) {
    for (const thumb of [false, true]) page.set(trampolineWords(rt, thumb), (SLOT_BYTES / 4) * slot(rt, thumb));
  }
  access.poke(pageAddr, new Uint8Array(page.buffer));
}
