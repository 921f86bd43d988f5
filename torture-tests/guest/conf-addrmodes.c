/* conf-addrmodes: A32 load/store addressing-mode conformance.
 * Every access is inline asm on a static buffer.  Base registers are printed
 * relative to the buffer origin (never as addresses); stores are reported as
 * the list of bytes that changed in the buffer. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t u32;
typedef uint64_t u64;

#define ORG 4096                        /* base origin inside buf */
static unsigned char buf[8192] __attribute__((aligned(16)));
static unsigned char ref[8192];
static u32 B(int off) { return (u32)(uintptr_t)(buf + ORG) + (u32)off; }
static int rel(u32 b) { return (int)(b - B(0)); }

static void reset(void)
{
    for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (unsigned char)(i * 37 + (i >> 8) * 11 + 0x5a);
    memcpy(ref, buf, sizeof buf);
}
static void diff(void)
{
    int n = 0;
    for (int i = 0; i < (int)sizeof buf; i++)
        if (buf[i] != ref[i]) { printf(" @%+d=%02x", i - ORG, buf[i]); n++; }
    printf("%s\n", n ? "" : " (no change)");
    memcpy(ref, buf, sizeof buf);
}

/* loads: %0 value, %1 base (in/out), %2 index, %3 flags in (for RRX) */
#define LD(s, off, idx, fin) { u32 v, b = B(off), x = (idx); \
    __asm__ volatile("msr APSR_nzcvq, %3\n\t" s : "=&r"(v), "+r"(b) : "r"(x), "r"(fin) : "cc", "memory"); \
    printf("%-32s off=%+d idx=%08x -> %08x base%+d\n", s, off, x, v, rel(b)); }
/* stores: %0 base (in/out), %1 index, %2 value, %3 flags in */
#define ST(s, off, idx, val, fin) { u32 b = B(off), x = (idx); reset(); \
    __asm__ volatile("msr APSR_nzcvq, %3\n\t" s : "+r"(b) : "r"(x), "r"(val), "r"(fin) : "cc", "memory"); \
    printf("%-32s off=%+d idx=%08x base%+d:", s, off, x, rel(b)); diff(); }
/* doubleword: %0/%H0 value pair */
#define LDD(s, off, idx) { u64 v; u32 b = B(off), x = (idx); \
    __asm__ volatile(s : "=&r"(v), "+r"(b) : "r"(x) : "memory"); \
    printf("%-32s off=%+d idx=%08x -> %08x %08x base%+d\n", s, off, x, (u32)v, (u32)(v >> 32), rel(b)); }
#define STD(s, off, idx, val) { u64 v = (val); u32 b = B(off), x = (idx); reset(); \
    __asm__ volatile(s : "+r"(b) : "r"(x), "r"(v) : "memory"); \
    printf("%-32s off=%+d idx=%08x base%+d:", s, off, x, rel(b)); diff(); }

#define CSET 0x20000000u
static void word_byte(void)
{
    reset();
    LD("ldr %0, [%1]", 0, 0, 0)
    LD("ldr %0, [%1, #4]", 0, 0, 0)
    LD("ldr %0, [%1, #-4]", 0, 0, 0)
    LD("ldr %0, [%1, #4095]", -3, 0, 0)
    LD("ldr %0, [%1, #-4095]", 3, 0, 0)
    LD("ldr %0, [%1, #8]!", 0, 0, 0)
    LD("ldr %0, [%1, #-12]!", 0, 0, 0)
    LD("ldr %0, [%1], #8", 0, 0, 0)
    LD("ldr %0, [%1], #-8", 0, 0, 0)
    LD("ldr %0, [%1, %2]", 0, 12, 0)
    LD("ldr %0, [%1, -%2]", 0, 12, 0)
    LD("ldr %0, [%1, %2, lsl #2]", 0, 5, 0)
    LD("ldr %0, [%1, -%2, lsl #3]", 0, 5, 0)
    LD("ldr %0, [%1, %2, lsr #4]", 0, 0x140, 0)
    LD("ldr %0, [%1, %2, lsr #32]", 0, 0xffffffff, 0)
    LD("ldr %0, [%1, %2, asr #2]", 0, 0xffffffe0, 0)
    LD("ldr %0, [%1, -%2, asr #32]", 0, 0x80000000, 0)
    LD("ldr %0, [%1, %2, ror #8]", 0, 0x1000, 0)
    LD("ldr %0, [%1, %2, rrx]", 0, 0x40, 0)
    LD("ldr %0, [%1, %2, rrx]", -0x80000000, 0x40, CSET)
    LD("ldr %0, [%1, %2, lsl #2]!", 0, 3, 0)
    LD("ldr %0, [%1, -%2]!", 0, 20, 0)
    LD("ldr %0, [%1], %2", 0, 24, 0)
    LD("ldr %0, [%1], -%2, lsl #1", 0, 24, 0)
    LD("ldr %0, [%1], %2, asr #1", 0, 0xfffffff0, 0)
    LD("ldrb %0, [%1, #1]", 0, 0, 0)
    LD("ldrb %0, [%1, #-1]", 0, 0, 0)
    LD("ldrb %0, [%1, #4095]", -3, 0, 0)
    LD("ldrb %0, [%1, #3]!", 0, 0, 0)
    LD("ldrb %0, [%1], #-5", 0, 0, 0)
    LD("ldrb %0, [%1, %2]", 0, 7, 0)
    LD("ldrb %0, [%1, -%2, lsl #1]", 0, 7, 0)
    LD("ldrb %0, [%1, %2, ror #31]!", 0, 3, 0)
    LD("ldrb %0, [%1], -%2, lsr #1", 0, 9, 0)
    LD("ldrt %0, [%1], #4", 0, 0, 0)
    LD("ldrbt %0, [%1], #-3", 0, 0, 0)
    LD("ldrt %0, [%1], %2, lsl #1", 0, 6, 0)
    /* unaligned word/halfword accesses (SCTLR.A=0 for Linux user mode) */
    LD("ldr %0, [%1, #1]", 0, 0, 0)
    LD("ldr %0, [%1, #2]", 0, 0, 0)
    LD("ldr %0, [%1, #3]", 0, 0, 0)
    LD("ldr %0, [%1, %2]!", 0, 4093, 0)
    LD("ldr %0, [%1], #4", 1, 0, 0)
    LD("ldrh %0, [%1, #1]", 0, 0, 0)
    LD("ldrsh %0, [%1, #3]", 0, 0, 0)
    LD("ldrh %0, [%1, #-1]", 0, 0, 0)

    ST("str %2, [%0]", 0, 0, 0x11223344u, 0)
    ST("str %2, [%0, #8]", 0, 0, 0xa1b2c3d4u, 0)
    ST("str %2, [%0, #-8]", 0, 0, 0xa1b2c3d4u, 0)
    ST("str %2, [%0, #4095]", -7, 0, 0x01020304u, 0)
    ST("str %2, [%0, #-16]!", 0, 0, 0xdeadbeefu, 0)
    ST("str %2, [%0], #20", 0, 0, 0xcafef00du, 0)
    ST("str %2, [%0, %1]", 0, 40, 0x55667788u, 0)
    ST("str %2, [%0, -%1, lsl #2]", 0, 3, 0x99aabbccu, 0)
    ST("str %2, [%0, %1, asr #1]!", 0, 0xffffffe0u, 0x12345678u, 0)
    ST("str %2, [%0], -%1", 0, 32, 0x87654321u, 0)
    ST("str %2, [%0, %1, rrx]", 0, 0x100, 0x0badc0deu, 0)
    ST("str %2, [%0, %1, rrx]", -0x80000000, 0x100, 0x0badc0deu, CSET)
    ST("strb %2, [%0, #3]", 0, 0, 0x123456ffu, 0)
    ST("strb %2, [%0, #-3]!", 0, 0, 0x80u, 0)
    ST("strb %2, [%0], #1", 0, 0, 0x7fu, 0)
    ST("strb %2, [%0, %1, lsl #4]", 0, 2, 0xabu, 0)
    ST("strb %2, [%0], -%1, ror #1", 0, 2, 0xcdu, 0)
    ST("strt %2, [%0], #-4", 0, 0, 0x31415926u, 0)
    ST("strbt %2, [%0], %1", 0, 5, 0x27u, 0)
    ST("str %2, [%0, #1]", 0, 0, 0xf1e2d3c4u, 0)
    ST("str %2, [%0, #-2]", 0, 0, 0xb5a69788u, 0)
    ST("str %2, [%0, #3]!", 0, 0, 0x0a0b0c0du, 0)
    ST("strh %2, [%0, #3]", 0, 0, 0x1234abcdu, 0)
    ST("strh %2, [%0, #-1]", 0, 0, 0x5678u, 0)
}

static void half_dual(void)
{
    reset();
    LD("ldrh %0, [%1, #2]", 0, 0, 0)
    LD("ldrh %0, [%1, #-2]", 0, 0, 0)
    LD("ldrh %0, [%1, #254]", 0, 0, 0)
    LD("ldrh %0, [%1, #-255]", 1, 0, 0)
    LD("ldrh %0, [%1, #6]!", 0, 0, 0)
    LD("ldrh %0, [%1], #-6", 0, 0, 0)
    LD("ldrh %0, [%1, %2]", 0, 10, 0)
    LD("ldrh %0, [%1, -%2]!", 0, 10, 0)
    LD("ldrh %0, [%1], %2", 0, 14, 0)
    LD("ldrsh %0, [%1, #4]", 0, 0, 0)
    LD("ldrsh %0, [%1, #-6]", 0, 0, 0)
    LD("ldrsh %0, [%1, %2]!", 0, 18, 0)
    LD("ldrsh %0, [%1], -%2", 0, 18, 0)
    LD("ldrsb %0, [%1, #5]", 0, 0, 0)
    LD("ldrsb %0, [%1, #-7]!", 0, 0, 0)
    LD("ldrsb %0, [%1], #9", 0, 0, 0)
    LD("ldrsb %0, [%1, %2]", 0, 21, 0)
    LD("ldrsb %0, [%1, -%2]", 0, 23, 0)
    LD("ldrsb %0, [%1], %2", 0, 2, 0)
    LD("ldrsh %0, [%1, #255]", -1, 0, 0)
    for (int i = -4; i <= 4; i++) LD("ldrsb %0, [%1, %2]", 0, (u32)i * 29, 0)
    LD("ldrht %0, [%1], #2", 0, 0, 0)
    LD("ldrsbt %0, [%1], #1", 0, 0, 0)

    ST("strh %2, [%0, #2]", 0, 0, 0xffff8001u, 0)
    ST("strh %2, [%0, #-4]!", 0, 0, 0x1234u, 0)
    ST("strh %2, [%0], #6", 0, 0, 0xabcdu, 0)
    ST("strh %2, [%0, %1]", 0, 30, 0x0102u, 0)
    ST("strh %2, [%0, -%1]!", 0, 30, 0x0304u, 0)
    ST("strh %2, [%0], -%1", 0, 8, 0x0506u, 0)
    ST("strht %2, [%0], #2", 0, 0, 0x0708u, 0)

    LDD("ldrd %0, %H0, [%1]", 0, 0)
    LDD("ldrd %0, %H0, [%1, #8]", 0, 0)
    LDD("ldrd %0, %H0, [%1, #-16]", 0, 0)
    LDD("ldrd %0, %H0, [%1, #248]", 0, 0)
    LDD("ldrd %0, %H0, [%1, #-24]!", 0, 0)
    LDD("ldrd %0, %H0, [%1], #32", 0, 0)
    LDD("ldrd %0, %H0, [%1, %2]", 0, 40)
    LDD("ldrd %0, %H0, [%1, -%2]!", 0, 48)
    LDD("ldrd %0, %H0, [%1], %2", 0, 56)
    LDD("ldrd %0, %H0, [%1], -%2", 0, 64)
    STD("strd %2, %H2, [%0]", 0, 0, 0x1111111122222222ull)
    STD("strd %2, %H2, [%0, #-8]", 0, 0, 0x3333333344444444ull)
    STD("strd %2, %H2, [%0, #16]!", 0, 0, 0x5555555566666666ull)
    STD("strd %2, %H2, [%0], #-24", 0, 0, 0x7777777788888888ull)
    STD("strd %2, %H2, [%0, %1]", 0, 72, 0x99999999aaaaaaaaull)
    STD("strd %2, %H2, [%0, -%1]!", 0, 80, 0xbbbbbbbbccccccccull)
    STD("strd %2, %H2, [%0], %1", 0, 88, 0xddddddddeeeeeeeeull)
}

/* LDM/STM through fixed registers: r12 = base, r4-r7 = data */
#define LDM(s, off) { u32 b = B(off), o[4]; \
    __asm__ volatile("mov r12, %[b]\n\tmov r4, #0\n\tmov r5, #0\n\tmov r6, #0\n\tmov r7, #0\n\t" s \
        "\n\tmov %[b], r12\n\tstm %[o], {r4-r7}" \
        : [b] "+r"(b) : [o] "r"(o) : "r4", "r5", "r6", "r7", "r12", "memory"); \
    printf("%-24s off=%+d -> %08x %08x %08x %08x base%+d\n", s, off, o[0], o[1], o[2], o[3], rel(b)); }
#define STM(s, off) { u32 b = B(off); reset(); \
    __asm__ volatile("mov r12, %[b]\n\tmovw r4, #0x4444\n\tmovw r5, #0x5555\n\tmovw r6, #0x6666\n\t" \
        "movw r7, #0x7777\n\tmovt r4, #0x4040\n\t" s "\n\tmov %[b], r12" \
        : [b] "+r"(b) : : "r4", "r5", "r6", "r7", "r12", "memory"); \
    printf("%-24s off=%+d base%+d:", s, off, rel(b)); diff(); }

static void multiple(void)
{
    reset();
    LDM("ldmia r12, {r4-r7}", 0) LDM("ldmia r12!, {r4-r7}", 0)
    LDM("ldmib r12, {r4-r7}", 0) LDM("ldmib r12!, {r4-r7}", 0)
    LDM("ldmda r12, {r4-r7}", 0) LDM("ldmda r12!, {r4-r7}", 0)
    LDM("ldmdb r12, {r4-r7}", 0) LDM("ldmdb r12!, {r4-r7}", 0)
    LDM("ldmia r12!, {r5}", 0)   LDM("ldmdb r12!, {r4, r7}", 0)
    LDM("ldmib r12, {r4, r6}", 0) LDM("ldmda r12!, {r5-r7}", 0)
    LDM("ldmfd r12!, {r4-r6}", 16) LDM("ldmea r12, {r6, r7}", 16)
    STM("stmia r12, {r4-r7}", 0) STM("stmia r12!, {r4-r7}", 0)
    STM("stmib r12, {r4-r7}", 0) STM("stmib r12!, {r4-r7}", 0)
    STM("stmda r12, {r4-r7}", 0) STM("stmda r12!, {r4-r7}", 0)
    STM("stmdb r12, {r4-r7}", 0) STM("stmdb r12!, {r4-r7}", 0)
    STM("stmia r12!, {r6}", 0)   STM("stmdb r12!, {r4, r6, r7}", 0)
    STM("stmfd r12!, {r5}", 32)  STM("stmea r12!, {r4, r5}", 32)

    /* base register in the list (architecturally defined cases) */
    u32 o[4], b = B(64);
    __asm__ volatile("mov r4, %[b]\n\tmov r5, #5\n\tstmia r4, {r4, r5}" : : [b] "r"(b) : "r4", "r5", "memory");
    memcpy(o, buf + ORG + 64, 8);
    printf("stmia r4, {r4,r5}: stored base%+d then %08x\n", rel(o[0]), o[1]);
    __asm__ volatile("mov r4, %[b]\n\tmov r5, #6\n\tstmia r4!, {r4, r5}\n\tmov %[b], r4" : [b] "+r"(b) : : "r4", "r5", "memory");
    memcpy(o, buf + ORG + 64, 8);
    printf("stmia r4!, {r4,r5} (base lowest): stored base%+d then %08x, base now %+d\n", rel(o[0]), o[1], rel(b));
    b = B(128);
    memcpy(buf + ORG + 128, "\x78\x56\x34\x12\xef\xbe\xad\xde", 8);
    __asm__ volatile("mov r5, %[b]\n\tldmia r5, {r4, r5}\n\tstm %[o], {r4, r5}" : : [b] "r"(b), [o] "r"(o) : "r4", "r5", "memory");
    printf("ldmia r5, {r4,r5}: r4=%08x r5=%08x\n", o[0], o[1]);
    __asm__ volatile("mov r4, %[b]\n\tldmia r4, {r4, r5}\n\tstm %[o], {r4, r5}" : : [b] "r"(b), [o] "r"(o) : "r4", "r5", "memory");
    printf("ldmia r4, {r4,r5}: r4=%08x r5=%08x\n", o[0], o[1]);
    reset();
}

/* hand-written functions that return by loading PC */
u32 am_pop_ret(u32), am_ldm_ret(u32), am_ldr_ret(u32), am_jump(u32), am_addpc(u32);
u32 am_ldmda_ret(u32), am_ldmib_ret(u32), am_ldmdb_wb(u32);
u32 am_slot[4];
__asm__(
    ".text\n.align 2\n.arm\n"
    ".global am_pop_ret\n.type am_pop_ret, %function\nam_pop_ret:\n"
    "\tpush {r4, lr}\n\tmov r4, r0\n\tadd r0, r4, r4, lsl #1\n\tpop {r4, pc}\n"
    ".global am_ldm_ret\n.type am_ldm_ret, %function\nam_ldm_ret:\n"
    "\tstmdb sp!, {r4-r8, r10, lr}\n\tmov r4, #1\n\tmov r5, #2\n\tmov r6, #3\n\tmov r7, #4\n\tmov r8, #5\n"
    "\tadd r0, r0, r4\n\tadd r0, r0, r5, lsl #4\n\tadd r0, r0, r8, lsl #8\n\tmov r10, r0\n\tldmia sp!, {r4-r8, r10, pc}\n"
    ".global am_ldr_ret\n.type am_ldr_ret, %function\nam_ldr_ret:\n"
    "\tstr lr, [sp, #-4]!\n\tadd r0, r0, #7\n\tldr pc, [sp], #4\n"
    ".global am_jump\n.type am_jump, %function\nam_jump:\n"
    "\tcmp r0, #3\n\tmovhi r0, #3\n\tadr r1, 1f\n\tldr pc, [r1, r0, lsl #2]\n"
    "1:\t.word 10f, 11f, 12f, 13f\n"
    "10:\tmov r0, #100\n\tbx lr\n11:\tmov r0, #101\n\tbx lr\n12:\tmov r0, #102\n\tbx lr\n13:\tmov r0, #103\n\tbx lr\n"
    ".global am_addpc\n.type am_addpc, %function\nam_addpc:\n"
    "\tand r0, r0, #3\n\tadd pc, pc, r0, lsl #2\n\tnop\n\tb 20f\n\tb 21f\n\tb 22f\n\tmov r0, #203\n\tbx lr\n"
    "20:\tmov r0, #200\n\tbx lr\n21:\tmov r0, #201\n\tbx lr\n22:\tmov r0, #202\n\tmov pc, lr\n"
    ".global am_ldmda_ret\n.type am_ldmda_ret, %function\nam_ldmda_ret:\n"
    "\tldr r1, =am_slot\n\tstr r4, [r1]\n\tstr lr, [r1, #4]\n\tmov r4, #9\n\tadd r0, r0, r4\n"
    "\tadd r1, r1, #4\n\tldmda r1, {r4, pc}\n"
    ".global am_ldmib_ret\n.type am_ldmib_ret, %function\nam_ldmib_ret:\n"
    "\tldr r1, =am_slot\n\tstmia r1, {r4, r5, lr}\n\tmov r4, #1\n\tmov r5, #2\n\tadd r0, r0, r4, lsl r5\n"
    "\tsub r1, r1, #4\n\tldmib r1, {r4, r5, pc}\n"
    ".global am_ldmdb_wb\n.type am_ldmdb_wb, %function\nam_ldmdb_wb:\n"
    "\tldr r1, =am_slot\n\tstr lr, [r1, #8]\n\tmov r2, #0\n\tstr r2, [r1, #12]\n\tadd r1, r1, #12\n"
    "\teor r0, r0, #0x55\n\tldmdb r1!, {r2, pc}\n"
    ".ltorg\n");

static void pc_loads(void)
{
    for (u32 i = 0; i < 5; i++)
        printf("pcload %u: pop %u ldm %u ldr %u jump %u addpc %u ldmda %u ldmib %u ldmdb %u\n", i,
               am_pop_ret(i + 10), am_ldm_ret(i), am_ldr_ret(i), am_jump(i), am_addpc(i),
               am_ldmda_ret(i), am_ldmib_ret(i), am_ldmdb_wb(i));
    u32 a, c;
    __asm__ volatile("1: mov %0, pc\n\tadr %1, 1b\n\tsub %0, %0, %1" : "=&r"(a), "=&r"(c));
    printf("mov rX, pc reads insn+%u\n", a);
    __asm__ volatile("ldr %0, 2f\n\tb 3f\n2: .word 0xcafef00d\n3:" : "=r"(a));
    printf("ldr literal %08x\n", a);
    __asm__ volatile("ldr %0, =0x13572468" : "=r"(a));
    printf("ldr =const %08x\n", a);
}

static void stack_ops(void)
{
    static const u32 in[8] = {0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
    u32 out[10];
    __asm__ volatile(
        "ldm %[in], {r4-r11}\n\tmov r12, sp\n\tpush {r4-r11}\n\tsub r12, r12, sp\n\tstr r12, [%[out], #32]\n\t"
        "mov r4, #0\n\tmov r5, #0\n\tmov r6, #0\n\tmov r7, #0\n\tmov r8, #0\n\tmov r9, #0\n\tmov r10, #0\n\tmov r11, #0\n\t"
        "pop {r4-r11}\n\tstm %[out], {r4-r11}\n\t"
        "mov r4, #1\n\tmov r5, #2\n\tmov r6, #3\n\tmov r12, #4\n\tpush {r4, r5, r6, r12, lr}\n\t"
        "pop {r7-r11}\n\tmov lr, r11\n\tadd r7, r7, r8, lsl #4\n\tadd r7, r7, r9, lsl #8\n\tadd r7, r7, r10, lsl #12\n\t"
        "push {r7}\n\tldr r8, [sp]\n\tpop {r9}\n\tadd r9, r9, r8\n\tstr r9, [%[out], #36]"
        : : [in] "r"(in), [out] "r"(out)
        : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "memory");
    printf("push/pop r4-r11: %x %x %x %x %x %x %x %x, sp delta %u, shuffled %08x\n",
           out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7], out[8], out[9]);
}

static void exclusive(void)
{
    static u32 w = 41;
    static unsigned short h = 0xfffe;
    static unsigned char c = 0x7f;
    static u64 d __attribute__((aligned(8))) = 0xffffffffull;
    u32 v, st, n = 0;
    do { __asm__ volatile("ldrex %0, [%2]\n\tadd %0, %0, #1\n\tstrex %1, %0, [%2]" : "=&r"(v), "=&r"(st) : "r"(&w) : "memory"); n++; } while (st);
    printf("ldrex/strex word -> %u\n", w);
    do { __asm__ volatile("ldrexh %0, [%2]\n\tadd %0, %0, #3\n\tstrexh %1, %0, [%2]" : "=&r"(v), "=&r"(st) : "r"(&h) : "memory"); } while (st);
    printf("ldrexh/strexh -> %04x\n", h);
    do { __asm__ volatile("ldrexb %0, [%2]\n\tadd %0, %0, #1\n\tstrexb %1, %0, [%2]" : "=&r"(v), "=&r"(st) : "r"(&c) : "memory"); } while (st);
    printf("ldrexb/strexb -> %02x\n", c);
    u64 x;
    do { __asm__ volatile("ldrexd %0, %H0, [%2]\n\tadds %0, %0, #1\n\tadc %H0, %H0, #0\n\tstrexd %1, %0, %H0, [%2]"
                          : "=&r"(x), "=&r"(st) : "r"(&d) : "cc", "memory"); } while (st);
    printf("ldrexd/strexd -> %08x%08x\n", (u32)(d >> 32), (u32)d);
    __asm__ volatile("ldrex %0, [%2]\n\tclrex\n\tstrex %1, %0, [%2]" : "=&r"(v), "=&r"(st) : "r"(&w) : "memory");
    printf("strex after clrex status %u value %u\n", st, w);
    (void)n;
}

int main(void)
{
    word_byte();
    half_dual();
    multiple();
    pc_loads();
    stack_ops();
    exclusive();
    return 0;
}
