// docs/linux-user.md lists every ARM EABI syscall that mttcg answers with
// ENOSYS and why. This keeps the list exact: the syscall numbers of the
// cross compiler's asm/unistd-eabi.h (the kernel's table) without a handler
// in the dispatcher are exactly the names the section gives in backquotes.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../../../harness/guest-runner.js';
import { FdTable } from '../../../src/emulator/linux-user/fd-table.js';
import { SyscallDispatcher } from '../../../src/emulator/linux-user/syscall-dispatch.js';

const HEADER = '/usr/arm-linux-gnueabi/include/asm/unistd-eabi.h';

/** name -> number from the kernel header's `#define __NR_x (__NR_SYSCALL_BASE + n)` lines. */
function eabiSyscalls(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/#define __NR_(\w+)\s+\(__NR_SYSCALL_BASE\s*\+\s*(\d+)\)/g)) out.set(m[1]!, Number(m[2]));
  return out;
}

/** The backquoted names of the docs' ENOSYS section's bullet lines. */
export function listedNames(doc: string): string[] {
  const start = doc.indexOf('## Syscalls that return ENOSYS');
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const names: string[] = [];
  for (const line of section.split('\n').filter((l) => l.startsWith('- '))) {
    for (const m of line.matchAll(/`(\w+)`/g)) names.push(m[1]!);
  }
  return names;
}

t.test('the ENOSYS list in docs/linux-user.md is exact', { skip: existsSync(HEADER) ? false : `${HEADER} missing (arm-linux-gnueabi cross headers)` }, async (t) => {
  const table = eabiSyscalls(readFileSync(HEADER, 'utf8'));
  t.ok(table.size > 380, `the header lists ${table.size} syscalls`);
  const dispatcher = new SyscallDispatcher(new FdTable(FdTable.create()));
  const missing = [...table].filter(([, nr]) => !dispatcher.handles(nr)).map(([name]) => name).sort();
  const listed = listedNames(readFileSync(join(ROOT, 'docs', 'linux-user.md'), 'utf8'));
  t.same([...listed].sort(), missing, 'the listed names are the syscalls without a handler');
  t.equal(new Set(listed).size, listed.length, 'each is listed once');
});

t.test('the check sees a name missing from the list', async (t) => {
  const doc = '## Syscalls that return ENOSYS\n\n- sockets: `socket`, `bind`.\n\n## Next\n- `other`\n';
  t.same(listedNames(doc), ['socket', 'bind'], 'only the section\'s bullet names count');
});
