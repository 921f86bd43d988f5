// The linux-user guest programs (signals, timers, SysV shm, memory calls,
// OABI, semihosting) and how each is compared with qemu-arm: same stdout and
// exit status, except for lines where qemu-arm 7.2 departs from the Linux
// kernel. Those lines are listed with both expected texts and the reason, so
// a change on either side shows up. qemu-arm's output is committed beside
// each ELF (<name>.ref, `npm run golden:refs`). Used by
// test/linux-user.test.ts (default strategy; the references against a fresh
// qemu-arm run where it is installed) and
// test/acceptance/linux-user-strategies.test.ts (every strategy that claims
// correctness).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRef } from './conformance.js';
import { guestElf, runMttcg, runQemu, type GuestRun } from './guest-runner.js';

/** A line where qemu-arm and the kernel (which mttcg follows) differ. */
export interface KnownDifference {
  /** The line as qemu-arm 7.2 prints it. */
  readonly qemu: string;
  /** The line as mttcg (the kernel) prints it. */
  readonly mttcg: string;
  readonly why: string;
}

export interface LinuxUserProgram {
  readonly name: string;
  readonly args?: readonly string[];
  readonly status: number;
  readonly differences?: readonly KnownDifference[];
  /** Extra mttcg options (e.g. --allow-dir for file calls). */
  readonly options?: readonly string[];
  /** Runs in a fresh empty directory (for both emulators), the only --allow-dir under mttcg. */
  readonly scratch?: boolean;
}

export const LINUX_USER_PROGRAMS: readonly LinuxUserProgram[] = [
  {
    name: 'sig-context',
    status: 3,
    differences: [{
      qemu: 'SIGILL UDF: result 42, sig 4 code 2, si_addr ok, pc at the instruction, handler ran 1',
      mttcg: 'SIGILL UDF: result 42, sig 4 code 1, si_addr ok, pc at the instruction, handler ran 1',
      why: 'the kernel reports an undefined instruction as ILL_ILLOPC (1, do_undefinstr); qemu-arm 7.2 says ILL_ILLOPN (2)',
    }],
  },
  { name: 'sig-async', status: 0 },
  { name: 'sig-eintr', status: 0 },
  {
    name: 'sig-altstack',
    status: 0,
    differences: [
      {
        qemu: 'autodisarm install: -1',
        mttcg: 'autodisarm install: 0',
        why: 'SS_AUTODISARM exists since Linux 4.7; qemu-arm 7.2 refuses it with EINVAL',
      },
      {
        qemu: 'SS_AUTODISARM: handler on the alternate stack 1, EPERM inside 1, restored after: sp ok 1 flags 0',
        mttcg: 'SS_AUTODISARM: handler on the alternate stack 1, EPERM inside 0, restored after: sp ok 1 flags 0x80000000',
        why: 'with SS_AUTODISARM the kernel disarms the stack in the handler (no EPERM) and rt_sigreturn re-arms it',
      },
    ],
  },
  { name: 'sig-pending', status: 0 },
  { name: 'sig-tgkill', status: 0 },
  { name: 'sig-timedwait', status: 0 },
  { name: 'conf-cwd', status: 0, scratch: true },
  { name: 'conf-fileattrs', status: 0, scratch: true },
  { name: 'conf-sendfile', status: 0, scratch: true },
  { name: 'conf-fdrange', status: 0, scratch: true },
  { name: 'conf-links', status: 0, scratch: true },
  { name: 'conf-locks', status: 0, scratch: true },
  { name: 'conf-shm', status: 0 },
  { name: 'conf-oabi', status: 0, scratch: true },
  { name: 'conf-semihost', args: ['alpha', 'beta'], status: 7, scratch: true },
  {
    name: 'conf-mem-errors',
    status: 0,
    scratch: true,
    differences: [
      {
        qemu: 'mprotect over a hole: ok, misaligned: EINVAL',
        mttcg: 'mprotect over a hole: ENOMEM, misaligned: EINVAL',
        why: 'Linux fails mprotect on a range with unmapped pages with ENOMEM (mm/mprotect.c); qemu-arm 7.2 changes what is mapped and says ok',
      },
      {
        qemu: 'madvise over a hole: ok, misaligned: EINVAL',
        mttcg: 'madvise over a hole: ENOMEM, misaligned: EINVAL',
        why: 'Linux madvise on a range with unmapped pages returns ENOMEM (mm/madvise.c); qemu-arm 7.2 ignores madvise',
      },
      {
        qemu: 'mremap of a hole: ok',
        mttcg: 'mremap of a hole: EFAULT',
        why: 'Linux mremap of an address with no mapping is EFAULT (vma_to_resize); qemu-arm 7.2 maps a new region',
      },
    ],
  },
  {
    name: 'sig-timers',
    status: 0,
    differences: [{
      qemu: 'expiry: RT+1, SI_TIMER 1, value 42, timer id matches 0, overrun 0',
      mttcg: 'expiry: RT+1, SI_TIMER 1, value 42, timer id matches 1, overrun 0',
      why: 'si_timerid is the id timer_create returned (the kernel); qemu-arm 7.2 hands out its own ids (0x0caf0000 | n) but passes the host timer id in si_timerid',
    }],
  },
];

export interface Comparison {
  readonly mttcg: GuestRun;
  /** Lines that differ from the reference other than the known differences (empty when they agree). */
  readonly unexplained: string[];
  /** Known differences that did not show as expected (qemu-arm or mttcg changed). */
  readonly stale: string[];
}

/** Compares two outputs line by line, allowing exactly the known differences. */
export function compareOutputs(p: LinuxUserProgram, qemu: string, mttcg: string): { unexplained: string[]; stale: string[] } {
  const q = qemu.split('\n');
  const m = mttcg.split('\n');
  const unexplained: string[] = [];
  const seen = new Set<KnownDifference>();
  for (let i = 0; i < Math.max(q.length, m.length); i++) {
    if (q[i] === m[i]) continue;
    const known = p.differences?.find((d) => d.qemu === q[i] && d.mttcg === m[i]);
    if (known) seen.add(known);
    else unexplained.push(`line ${i + 1}: qemu-arm ${JSON.stringify(q[i] ?? '(none)')} mttcg ${JSON.stringify(m[i] ?? '(none)')}`);
  }
  const stale = (p.differences ?? []).filter((d) => !seen.has(d)).map((d) => `expected difference not seen: ${d.why}`);
  return { unexplained, stale };
}

/** Runs fn in a fresh empty directory (removed after) when the program wants one, else in the current one. */
export function inScratch<T>(p: LinuxUserProgram, fn: (cwd: string | undefined, options: string[]) => T): T {
  if (!p.scratch) return fn(undefined, []);
  const dir = mkdtempSync(join(tmpdir(), `mttcg-${p.name}-`));
  try {
    return fn(dir, ['--allow-dir', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a program (its A32 build, or another build of it: `elf`) under mttcg and compares it with its qemu-arm reference. */
export function runAgainstRef(p: LinuxUserProgram, mttcgOptions: readonly string[] = [], elf = guestElf(p.name)): Comparison {
  const mttcg = inScratch(p, (cwd, scratch) =>
    runMttcg(elf, p.args ?? [], [...scratch, ...(p.options ?? []), ...mttcgOptions], 120000, cwd));
  return { mttcg, ...compareOutputs(p, readRef(p.name), mttcg.stdout) };
}

/** Runs a program (its A32 build, or another build of it: `elf`) under qemu-arm as runAgainstRef runs it under mttcg. */
export function runQemuLike(p: LinuxUserProgram, elf = guestElf(p.name)): GuestRun {
  return inScratch(p, (cwd) => runQemu(elf, p.args ?? [], [], 120000, cwd));
}
