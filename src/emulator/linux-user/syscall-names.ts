// Names of syscalls for the one-time "unknown syscall" warning (ARM EABI numbers).

const NAMES: Readonly<Record<number, string>> = {
  2: 'fork', 11: 'execve', 26: 'ptrace', 42: 'pipe', 57: 'setpgid', 66: 'setsid', 87: 'swapon', 88: 'reboot',
  102: 'socketcall', 114: 'wait4', 190: 'vfork', 250: 'epoll_create', 281: 'socket', 283: 'connect',
  290: 'sendto', 292: 'recvfrom', 294: 'setsockopt', 322: 'openat', 338: 'set_robust_list', 345: 'getcpu',
  346: 'epoll_pwait', 359: 'pipe2', 387: 'execveat', 389: 'membarrier', 397: 'statx', 398: 'rseq',
  435: 'clone3', 439: 'faccessat2',
};

export function syscallName(nr: number): string {
  return NAMES[nr] ?? (nr >= 0xf0000 ? `ARM private 0x${nr.toString(16)}` : 'unknown');
}
