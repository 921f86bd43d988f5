// qemu-arm with binfmt_misc, for the process benchmarks' fair baseline: a
// guest shell under plain qemu-arm cannot execve an ARM file (ENOEXEC), so
// busybox falls back to the host's x86-64 programs and qemu-arm's loop
// figure is not an emulated one. Linux 6.7+ gives each user namespace its
// own binfmt_misc: the command runs in a private user and mount namespace
// (`unshare --user --map-root-user --mount`) where qemu-arm is registered
// for 32-bit little-endian ARM ELFs with flags F (qemu-arm opened at
// registration) and P (argv[0] preserved, which busybox needs to pick its
// applet), as Debian's qemu-user-binfmt does on a real host. Nothing
// outside that namespace sees the registration; where it cannot be made
// (an older kernel, no unshare, no qemu-arm) binfmtCommand says why.

import { spawnSync } from 'node:child_process';

/** The ELF header bytes and mask of Debian's qemu-arm binfmt entry (EM_ARM, ET_EXEC or ET_DYN). */
const MAGIC = '\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00';
const MASK = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';

/** Mounts a private binfmt_misc, registers $1 as qemu-arm's entry, then runs the rest of the arguments. */
const SCRIPT = [
  'set -e',
  'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc',
  'printf "%s" "$1" > /proc/sys/fs/binfmt_misc/register',
  'shift',
  'exec "$@"',
].join('\n');

function qemuPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v qemu-arm'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
}

/** [command, args] running cmd with qemu-arm registered for ARM ELFs, or a reason string when that is impossible here. */
export function binfmtCommand(cmd: readonly string[]): [string, string[]] | string {
  const qemu = qemuPath();
  if (qemu === null) return 'qemu-arm is not installed';
  const entry = `:mttcg-bench-qemu-arm:M::${MAGIC}:${MASK}:${qemu}:FP`;
  const wrap = (c: readonly string[]): string[] => ['--user', '--map-root-user', '--mount', 'sh', '-c', SCRIPT, 'binfmt', entry, ...c];
  // The probe: `true` through the same wrapper (fails on kernels without per-namespace binfmt_misc).
  const probe = spawnSync('unshare', wrap(['true']), { encoding: 'utf8' });
  if (probe.error) return `unshare cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `no private binfmt_misc here (${probe.stderr.trim().split('\n').pop() ?? `status ${probe.status}`}; Linux 6.7+ is needed)`;
  return ['unshare', wrap(cmd)];
}
