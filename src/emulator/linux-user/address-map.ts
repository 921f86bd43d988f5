// The guest address map, chosen to match Debian's qemu-arm 7.2 (see
// docs/qemu-layout.md) so that register traces line up address for address.

export const STACK_GUARD = 0x40000000;
export const STACK_BOTTOM = 0x40001000;
export const STACK_TOP = 0x40801000;
export const STACK_SIZE = STACK_TOP - STACK_BOTTOM;
/** The page qemu maps for signal return trampolines; mmap allocates below it. */
export const SIGRETURN_PAGE = 0x3ffff000;
export const MMAP_TOP = SIGRETURN_PAGE;
/** Lowest address the top-down mmap allocator hands out. */
export const MMAP_FLOOR = 0x00010000;
export const KUSER_PAGE_ADDR = 0xffff0000;

/** AT_HWCAP: SWP HALF THUMB FAST_MULT EDSP TLS IDIVA IDIVT; no VFP, NEON, iWMMXt or FPA. */
export const GUEST_HWCAP = 1 | 2 | 4 | 16 | 128 | (1 << 15) | (1 << 17) | (1 << 18);
