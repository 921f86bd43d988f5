// The guest address map, chosen to match Debian's qemu-arm 7.2 (see
// docs/qemu-layout.md) so that register traces line up address for address.

export const STACK_GUARD = 0x40000000;
export const STACK_BOTTOM = 0x40001000;
export const STACK_TOP = 0x40801000;
export const STACK_SIZE = STACK_TOP - STACK_BOTTOM;
/** The page qemu maps for signal return trampolines. */
export const SIGRETURN_PAGE = 0x3ffff000;
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
