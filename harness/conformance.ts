// The conformance programs (torture-tests/guest/*.elf), the arguments they
// run with, their expected exit status, and their committed qemu-arm
// reference output (`<name>.ref` beside the ELF). test/differential.test.ts
// compares mttcg with the reference (no qemu-arm needed) and, where qemu-arm
// is installed, the reference with a fresh qemu-arm run;
// `npm run golden:refs` rewrites the references from qemu-arm.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUEST_DIR } from './guest-runner.js';

export interface ConformanceProgram {
  readonly name: string;
  readonly args: readonly string[];
  /** Exit status as a shell reports it (128 + signal for a signal death). */
  readonly status: number;
}

const DEFAULT_ARGS = ['alpha', 'beta gamma'];

export const CONFORMANCE_PROGRAMS: readonly ConformanceProgram[] = [
  { name: 'conf-arith', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-addrmodes', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-libc', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-compute', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-smc', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-syscalls', args: DEFAULT_ARGS, status: 3 },
  { name: 'conf-threads', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-threads-mem', args: ['100'], status: 0 },
  { name: 'conf-smc-spin', args: ['5'], status: 0 },
  { name: 'conf-segv', args: DEFAULT_ARGS, status: 139 },
  { name: 'conf-undef', args: DEFAULT_ARGS, status: 132 },
  { name: 'err-syscall', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-mmap-layout', args: DEFAULT_ARGS, status: 0 },
  { name: 'conf-args', args: ['one', 'two three'], status: 0 },
  { name: 'conf-interwork', args: DEFAULT_ARGS, status: 0 },
];

/**
 * conf-args prints what the CPU advertises. qemu-arm's default CPU has VFP and
 * NEON and calls itself v8l; mttcg emulates VFPv3-D16 without NEON and says v7l
 * (docs/testing.md).
 * Those lines are compared with mttcg's own values instead of the reference.
 */
const CPU_DEPENDENT = /^(AT_HWCAP|AT_PLATFORM) /;

/** stdout without the lines that describe the emulated CPU rather than the program. */
export function withoutCpuLines(stdout: string): string {
  return stdout.split('\n').filter((l) => !CPU_DEPENDENT.test(l)).join('\n');
}

/**
 * The programs that also have a Thumb-2 hard-float build (<name>.thumb.elf,
 * torture-tests/thumb-build.mk): all but the two whose inline assembly is
 * ARM-only. The Thumb build must print what the A32 build's reference says.
 */
export const THUMB_PROGRAMS: readonly ConformanceProgram[] = CONFORMANCE_PROGRAMS.filter(
  (p) => p.name !== 'conf-arith' && p.name !== 'conf-addrmodes',
);

export function thumbElf(name: string): string {
  return join(GUEST_DIR, `${name}.thumb.elf`);
}

export function refPath(name: string): string {
  return join(GUEST_DIR, `${name}.ref`);
}

/** The committed qemu-arm stdout of a program. */
export function readRef(name: string): string {
  return readFileSync(refPath(name), 'utf8');
}

/**
 * The VFP conformance program (torture-tests/vfp/conf-vfp) and its oracle:
 * qemu-arm -cpu cortex-a9 (VFPv3, no short vectors; docs/vfp.md).
 */
export const VFP_CONFORMANCE = {
  elf: join(GUEST_DIR, '..', 'vfp', 'conf-vfp.elf'),
  ref: join(GUEST_DIR, '..', 'vfp', 'conf-vfp.ref'),
  qemuOptions: ['-cpu', 'cortex-a9'] as readonly string[],
};

export interface VfpProgram {
  readonly elf: string;
  readonly ref: string;
  readonly qemuOptions: readonly string[];
}

function vfpLibcProgram(name: string): VfpProgram {
  return {
    elf: join(GUEST_DIR, '..', 'vfp-libc', `${name}.elf`),
    ref: join(GUEST_DIR, '..', 'vfp-libc', `${name}.ref`),
    qemuOptions: ['-cpu', 'cortex-a9'],
  };
}

/**
 * Hard-float programs through armhf glibc (Thumb-2 code), torture-tests/vfp-libc:
 * floating point through libc and libm, and the VFP record of a signal frame.
 */
export const VFP_LIBC_PROGRAMS: readonly VfpProgram[] = [vfpLibcProgram('conf-vfp-libc'), vfpLibcProgram('vfp-signal')];
