/* vfp-undef: executes one instruction mttcg does not emulate, named by
 * argv[1], between two lines of output:
 *   neon      vadd.i32 d0, d1, d2      (Advanced SIMD)
 *   neon-t32  vadd.i32 d0, d1, d2      (the same in Thumb state, 0xef210802)
 *   vfma      vfma.f64 d0, d1, d2      (VFPv4)
 *   cvtb      vcvtb.f32.f16 s0, s1     (half-precision extension)
 *   d16       vmov.f64 d16, d0         (VFPD32)
 *   fpexc     vmrs r0, fpexc           (privileged: UNDEFINED on qemu-arm too)
 *   shortvec  vmsr fpscr with LEN = 1  (short vectors)
 *   none      nothing
 * mttcg reports SIGILL naming the pc and the word; test/vfp-undef.test.ts.
 */
#include "vfp-rt.h"

/* A Thumb function holding the T32 encoding of the NEON vadd (called with BLX). */
__asm__(".text\n.syntax unified\n.thumb\n.thumb_func\n.type neon_t32, %function\n"
        "neon_t32:\n\t.inst.w 0xef210802\n\tbx lr\n.size neon_t32, . - neon_t32\n.arm\n");
void neon_t32(void);

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "none";
    rt_puts("before ");
    rt_puts(what);
    rt_putc('\n');
    rt_flush();
    if (streq(what, "neon")) __asm__ volatile(".word 0xf2210802" ::: "memory");
    if (streq(what, "neon-t32")) neon_t32();
    if (streq(what, "vfma")) __asm__ volatile(".word 0xeea10b02" ::: "memory");
    if (streq(what, "cvtb")) __asm__ volatile(".word 0xeeb20a60" ::: "memory");
    if (streq(what, "d16")) __asm__ volatile(".word 0xeef00b40" ::: "memory");
    if (streq(what, "fpexc")) __asm__ volatile(".word 0xeef80a10" ::: "r0", "memory");
    if (streq(what, "shortvec")) __asm__ volatile("mov r0, #0x10000\n\tvmsr fpscr, r0\n\tmov r0, #0\n\tvmsr fpscr, r0" ::: "r0", "memory");
    rt_puts("after\n");
    return 0;
}
