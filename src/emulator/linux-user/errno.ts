// Linux errno values (asm-generic/errno-base.h, errno.h) that syscalls return negated.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EPIPE = 32;
export const ERANGE = 34;
export const EDEADLK = 35;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const ETIMEDOUT = 110;

/** Maps a Node.js system error code ('ENOENT', ...) to a Linux errno. */
export function errnoFromNode(err: unknown): number {
  const code = (err as { code?: unknown }).code;
  const table: Record<string, number> = {
    EPERM, ENOENT, EIO, EBADF, EAGAIN, ENOMEM, EACCES, EEXIST, ENOTDIR, EISDIR, EINVAL, EMFILE,
    ENOTTY, ESPIPE, EROFS, EPIPE, ENAMETOOLONG, ENOTEMPTY, ELOOP,
  };
  return typeof code === 'string' && code in table ? table[code]! : EIO;
}

// Kernel-internal restart codes (include/linux/errno.h): a syscall interrupted
// by a signal returns one of these; signal delivery turns it into EINTR or a
// restart of the syscall, and the guest never sees them.
/** Restart if the handler has SA_RESTART (or no handler runs), else EINTR. */
export const ERESTARTSYS = 512;
/** Always restart. */
export const ERESTARTNOINTR = 513;
/** Restart only if no handler runs (EINTR when one does, SA_RESTART or not). */
export const ERESTARTNOHAND = 514;
/** As ERESTARTNOHAND, but the restart runs the syscall's restart block (restart_syscall). */
export const ERESTART_RESTARTBLOCK = 516;

export function isRestartCode(r: number): boolean {
  return r === -ERESTARTSYS || r === -ERESTARTNOINTR || r === -ERESTARTNOHAND || r === -ERESTART_RESTARTBLOCK;
}
