// The guest address map, chosen to match Debian's qemu-arm 7.2 (see
// docs/qemu-layout.md) so that register traces line up address for address.
// The loader places the stack, the interpreter and the sigreturn page with
// the mmap allocator, as qemu-arm does; for a static ET_EXEC program they
// land at the addresses below (a PIE program and its interpreter push them
// further down: docs/linux-user.md).

/** The main stack's size (qemu-arm's guest_stack_size), below it one guard page. */
export const STACK_SIZE = 0x800000;
/** A static program's stack guard page, stack and sigreturn page. */
export const STACK_GUARD = 0x40000000;
export const STACK_BOTTOM = STACK_GUARD + 0x1000;
export const STACK_TOP = STACK_BOTTOM + STACK_SIZE;
export const SIGRETURN_PAGE = 0x3ffff000;
/**
 * Room kept free after a dynamically linked program's bss while the stack
 * and the interpreter are placed, so that brk can grow (qemu-arm 7.2's
 * reserve_brk for 32-bit guests); released once loading is done.
 */
export const BRK_RESERVE = 16 * 1024 * 1024;
/** Where mmap starts looking (qemu's TASK_UNMAPPED_BASE): the first regions land below the sigreturn page. */
export const MMAP_BASE = 0x40000000;
/** The top of qemu-arm's reserved guest space: mmap searches below it when nothing fits below its start. */
export const MMAP_SEARCH_TOP = 0xffff0000;
/** Lowest address the mmap allocator hands out (Linux's default vm.mmap_min_addr). */
export const MMAP_FLOOR = 0x00010000;
export const KUSER_PAGE_ADDR = 0xffff0000;

/**
 * AT_HWCAP: SWP HALF THUMB FAST_MULT VFP EDSP VFPv3 VFPv3D16 TLS IDIVA IDIVT:
 * exactly what mttcg emulates (arm/vfp/ is VFPv3-D16), so that glibc picks
 * matching code paths. No NEON, VFPD32, VFPv4, iWMMXt or FPA.
 */
export const GUEST_HWCAP = 1 | 2 | 4 | 16 | 64 | 128 | (1 << 13) | (1 << 14) | (1 << 15) | (1 << 17) | (1 << 18);
