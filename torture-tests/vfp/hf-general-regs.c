/* hf-general-regs: a hard-float (armhf ABI) program without a single VFP
 * instruction, as `arm-linux-gnueabihf-gcc -mgeneral-regs-only` builds it.
 * Its ELF header says hard-float (EF_ARM_ABI_FLOAT_HARD, EABI5) like every
 * armhf program; mttcg loads it by what it executes, never refusing it for the
 * header flag, and its output equals qemu-arm's.
 * The pragma makes any floating-point use in this file a compile error, so
 * the compiler can emit no VFP instruction (the test also scans the code).
 * Prints an integer checksum of its arguments and a small computation.
 * Exit 0. */
#pragma GCC target("general-regs-only")

#include "vfp-rt.h"

/* FNV-1a over a string. */
static uint32_t fnv1a(const char *s, uint32_t h)
{
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* Collatz steps summed over 1..n: branches, shifts and multiplies only. */
static uint32_t collatz_total(uint32_t n)
{
    uint32_t total = 0;
    for (uint32_t i = 1; i <= n; i++) {
        uint64_t x = i;
        while (x != 1) {
            x = (x & 1) ? 3 * x + 1 : x >> 1;
            total++;
        }
    }
    return total;
}

int main(int argc, char **argv)
{
    uint32_t h = 2166136261u;
    for (int i = 1; i < argc; i++) h = fnv1a(argv[i], h);
    rt_puts("hard-float ELF without VFP: argc ");
    rt_dec((uint32_t)argc);
    rt_puts(" fnv1a ");
    rt_hex32(h);
    rt_puts("\ncollatz steps 1..1000 ");
    rt_dec(collatz_total(1000));
    rt_puts("\n");
    return 0;
}
