/* vfp-rt.h: a freestanding runtime for the VFP guest programs (mttcg-lab).
 *
 * Debian's armhf libc is Thumb-2 code, so a hard-float program linked with it
 * needs the T32 front end. These programs are built -nostdlib in ARM state
 * (see Makefile) and bring what little they need: _start, a few syscalls,
 * buffered output of text and hex numbers, memcpy/memset for the compiler.
 */
#ifndef VFP_RT_H
#define VFP_RT_H

#include <stddef.h>
#include <stdint.h>

#define RT_UNUSED __attribute__((unused))

static inline long rt_syscall(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    register long r3 __asm__("r3") = d;
    register long r4 __asm__("r4") = e;
    register long r5 __asm__("r5") = f;
    register long r7 __asm__("r7") = nr;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7) : "memory");
    return r0;
}

#define RT_SYS_EXIT 1
#define RT_SYS_WRITE 4
#define RT_SYS_MPROTECT 125
#define RT_SYS_CLOCK_GETTIME 263
#define RT_SYS_CACHEFLUSH 0xf0002

static char rt_out[4096];
static unsigned rt_outlen;

static RT_UNUSED void rt_flush(void)
{
    unsigned off = 0;
    while (off < rt_outlen) {
        long n = rt_syscall(RT_SYS_WRITE, 1, (long)(rt_out + off), rt_outlen - off, 0, 0, 0);
        if (n <= 0) break;
        off += (unsigned)n;
    }
    rt_outlen = 0;
}

static RT_UNUSED void rt_putc(char c)
{
    if (rt_outlen == sizeof rt_out) rt_flush();
    rt_out[rt_outlen++] = c;
}

static RT_UNUSED void rt_puts(const char *s)
{
    while (*s) rt_putc(*s++);
}

static RT_UNUSED void rt_hex32(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4) rt_putc("0123456789abcdef"[(v >> i) & 15]);
}

static RT_UNUSED void rt_hex64(uint64_t v)
{
    rt_hex32((uint32_t)(v >> 32));
    rt_hex32((uint32_t)v);
}

/* a % n without a division instruction (cortex-a9 has none in ARM state, and
 * libgcc's helpers are Thumb code here). */
static RT_UNUSED uint32_t rt_umod(uint32_t a, uint32_t n)
{
    uint32_t d = n;
    while (d <= a >> 1) d <<= 1;
    while (d >= n) {
        if (a >= d) a -= d;
        d >>= 1;
    }
    return a;
}

/* Decimal output by subtracting powers of ten (no division instruction). */
static RT_UNUSED void rt_dec64(uint64_t v)
{
    uint64_t p = 1;
    uint64_t pow10[20];
    for (int i = 19; i >= 0; i--) {
        pow10[i] = p;
        p *= 10;
    }
    int started = 0;
    for (int i = 0; i < 20; i++) {
        char digit = '0';
        while (v >= pow10[i]) {
            v -= pow10[i];
            digit++;
        }
        if (digit != '0' || started || i == 19) {
            rt_putc(digit);
            started = 1;
        }
    }
}

static RT_UNUSED void rt_dec(uint32_t v)
{
    rt_dec64(v);
}

static RT_UNUSED __attribute__((noreturn)) void rt_exit(int code)
{
    rt_flush();
    for (;;) rt_syscall(RT_SYS_EXIT, code, 0, 0, 0, 0, 0);
}

/* Parses a decimal argument; 0 for anything else. */
static RT_UNUSED uint32_t rt_atou(const char *s)
{
    uint32_t v = 0;
    while (s && *s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

/* The compiler may call these even in freestanding code. */
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int main(int argc, char **argv);

void rt_start_c(uint32_t *sp) __attribute__((noreturn, used));
void rt_start_c(uint32_t *sp)
{
    rt_exit(main((int)sp[0], (char **)(sp + 1)));
}

/* Entry: the kernel's initial stack holds argc, argv[], envp[], auxv. */
__asm__(".text\n.global _start\n.type _start, %function\n.arm\n"
        "_start:\n\tmov r0, sp\n\tbic sp, sp, #7\n\tbl rt_start_c\n");

#endif
