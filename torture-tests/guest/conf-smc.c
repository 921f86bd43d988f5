/* conf-smc: self-modifying / generated code.
 * ARM instructions are written into anonymous mmap pages, the instruction
 * cache is synchronised with __builtin___clear_cache (the ARM cacheflush
 * syscall 0xf0002), and the code is called through a function pointer.  The
 * code is then rewritten in place and called again: a translator that keeps a
 * stale translation prints a wrong value.  Covered: immediate patches, opcode
 * patches, a patched loop body, one instruction patched in the middle of a
 * long block, two functions sharing a page, a caller whose direct BL into a
 * patched callee must be re-resolved, W^X flipping with mprotect, munmap +
 * MAP_FIXED remap of the same address, and generated code that patches its
 * own next instructions and flushes with an inline svc.
 * No addresses are printed.  Exit 0, or 1 if any result is wrong. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

typedef uint32_t u32;
typedef u32 (*fn_t)(u32, u32, u32);

static u32 ck = 0x811c9dc5u;
static void mix(u32 v) { ck = (ck ^ v) * 0x01000193u; ck ^= ck >> 13; }
static int fails;
static void expect(const char *what, u32 got, u32 want)
{
    printf("%-34s -> %u%s\n", what, got, got == want ? "" : "  WRONG");
    if (got != want) { printf("    expected %u\n", want); fails++; }
    mix(got);
}

/* A32 encodings (cond = AL) */
#define MOV_R0_IMM8(n) (0xe3a00000u | ((n) & 0xffu))
#define MOVW_R0(n) (0xe3000000u | (((n) & 0xf000u) << 4) | ((n) & 0xfffu))
#define MOVT_R0(n) (0xe3400000u | (((n) & 0xf000u) << 4) | ((n) & 0xfffu))
#define ADD_R0_R0_IMM8(n) (0xe2800000u | ((n) & 0xffu))
#define ADD_R0_R0_R1 0xe0800001u
#define SUB_R0_R0_R1 0xe0400001u
#define EOR_R0_R0_R1 0xe0200001u
#define MUL_R0_R0_R1 0xe0000190u
#define ORR_R0_R0_R1 0xe1800001u
#define SUBS_R1_R1_1 0xe2511001u
#define BX_LR 0xe12fff1eu
#define PUSH_LR 0xe52de004u /* str lr, [sp, #-4]! */
#define POP_PC 0xe49df004u  /* ldr pc, [sp], #4 */
#define NOP 0xe320f000u
/* branch from word index `from` to word index `to` in the same buffer */
#define B_COND(cond, from, to) (((u32)(cond) << 28) | 0x0a000000u | ((u32)((to) - (from) - 2) & 0xffffffu))
#define BL(from, to) (0xeb000000u | ((u32)((to) - (from) - 2) & 0xffffffu))

#define PAGE 4096
static void sync(u32 *p, int words) { __builtin___clear_cache((char *)p, (char *)(p + words)); }
static fn_t F(u32 *p) { return (fn_t)(uintptr_t)p; }

static u32 *map_rwx(void *at, int flags)
{
    void *p = mmap(at, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED) { printf("mmap RWX failed\n"); return NULL; }
    return p;
}

static void imm_patches(u32 *c)
{
    static const u32 seq[] = {42, 0, 255, 1, 42, 17};
    char name[48];
    for (unsigned i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        c[0] = MOV_R0_IMM8(seq[i]);
        c[1] = BX_LR;
        sync(c, 2);
        snprintf(name, sizeof name, "mov r0,#%u; bx lr", seq[i]);
        expect(name, F(c)(0, 0, 0), seq[i]);
    }
    /* loop of 100 rewrites of the same two words */
    u32 bad = 0, sum = 0;
    for (u32 i = 0; i < 100; i++) {
        u32 n = (i * 37 + 11) & 0xff;
        c[0] = MOV_R0_IMM8(n);
        sync(c, 1);
        u32 r = F(c)(0, 0, 0);
        bad += r != n;
        sum += r;
    }
    printf("100 imm8 rewrites: wrong %u sum %u\n", bad, sum);
    fails += bad != 0;
    mix(sum);
    /* 16-bit / 32-bit constants via movw/movt, 100 more rewrites */
    bad = 0;
    sum = 0;
    for (u32 i = 0; i < 100; i++) {
        u32 v = i * 0x9e3779b1u;
        c[0] = MOVW_R0(v & 0xffff);
        c[1] = MOVT_R0(v >> 16);
        c[2] = BX_LR;
        sync(c, 3);
        u32 r = F(c)(0, 0, 0);
        bad += r != v;
        sum = sum * 31 + r;
    }
    printf("100 movw/movt rewrites: wrong %u ck %08x\n", bad, sum);
    fails += bad != 0;
    mix(sum);
}

static void opcode_patches(u32 *c)
{
    static const struct { const char *n; u32 insn; } ops[] = {
        {"add r0,r0,r1", ADD_R0_R0_R1}, {"sub r0,r0,r1", SUB_R0_R0_R1},
        {"eor r0,r0,r1", EOR_R0_R0_R1}, {"mul r0,r0,r1", MUL_R0_R0_R1},
        {"orr r0,r0,r1", ORR_R0_R0_R1}, {"add r0,r0,r1 (again)", ADD_R0_R0_R1}};
    const u32 a = 1000, b = 13;
    const u32 want[] = {a + b, a - b, a ^ b, a * b, a | b, a + b};
    c[1] = BX_LR;
    for (int i = 0; i < 6; i++) {
        c[0] = ops[i].insn;
        sync(c, 1);
        expect(ops[i].n, F(c)(a, b, 0), want[i]);
    }
}

/* r0 = 0; do r0 += K; while (--r1); the loop body immediate is patched */
static void loop_patch(u32 *c)
{
    c[0] = MOV_R0_IMM8(0);
    c[1] = ADD_R0_R0_IMM8(3);
    c[2] = SUBS_R1_R1_1;
    c[3] = B_COND(1 /* ne */, 3, 1);
    c[4] = BX_LR;
    sync(c, 5);
    char name[48];
    for (u32 k = 3; k < 250; k += 61) {
        c[1] = ADD_R0_R0_IMM8(k);
        sync(c + 1, 1);
        snprintf(name, sizeof name, "loop 1000x add #%u", k);
        expect(name, F(c)(0, 1000, 0), 1000 * k);
    }
}

/* a long straight-line block of adds; only the middle instruction changes */
static void middle_patch(u32 *c)
{
    c[0] = MOV_R0_IMM8(0);
    for (int i = 1; i <= 40; i++) c[i] = ADD_R0_R0_IMM8(i);
    c[41] = BX_LR;
    sync(c, 42);
    u32 base = 40 * 41 / 2;
    expect("40 adds", F(c)(0, 0, 0), base);
    c[20] = ADD_R0_R0_IMM8(200);
    sync(c + 20, 1);
    expect("40 adds, #20 patched to #200", F(c)(0, 0, 0), base - 20 + 200);
    c[20] = NOP;
    sync(c + 20, 1);
    expect("40 adds, #20 patched to nop", F(c)(0, 0, 0), base - 20);
    c[40] = BX_LR; /* early return: block gets shorter */
    sync(c + 40, 1);
    expect("40 adds, early bx lr at #40", F(c)(0, 0, 0), base - 20 - 40);
}

/* f at c[0], g at c[256] in the same page, h on the next page; h calls f by BL */
static void shared_page(u32 *c)
{
    u32 *f = c, *g = c + 256, *h = c + 1024 + 16;
    f[0] = MOV_R0_IMM8(5); f[1] = BX_LR;
    g[0] = MOV_R0_IMM8(9); g[1] = BX_LR;
    h[0] = PUSH_LR;
    h[1] = BL(1024 + 16 + 1, 0); /* bl f (word index relative to c) */
    h[2] = ADD_R0_R0_IMM8(100);
    h[3] = POP_PC;
    sync(c, 2 * PAGE / 4);
    expect("f", F(f)(0, 0, 0), 5);
    expect("g", F(g)(0, 0, 0), 9);
    expect("h = f() + 100", F(h)(0, 0, 0), 105);
    for (u32 n = 6; n < 10; n++) {
        f[0] = MOV_R0_IMM8(n * 10);
        sync(f, 1);
        expect("f patched, h = f() + 100", F(h)(0, 0, 0), n * 10 + 100);
        expect("g untouched", F(g)(0, 0, 0), 9);
    }
    /* retarget the BL itself to g */
    h[1] = BL(1024 + 16 + 1, 256);
    sync(h + 1, 1);
    expect("h retargeted, h = g() + 100", F(h)(0, 0, 0), 109);
}

/* W^X: write while RW, execute while RX */
static void wx_flip(void)
{
    u32 *c = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED) { printf("mmap RW failed\n"); fails++; return; }
    char name[48];
    for (u32 n = 1; n <= 4; n++) {
        int r1 = mprotect(c, PAGE, PROT_READ | PROT_WRITE);
        c[0] = MOVW_R0(n * 1111);
        c[1] = BX_LR;
        sync(c, 2);
        int r2 = mprotect(c, PAGE, PROT_READ | PROT_EXEC);
        snprintf(name, sizeof name, "W^X round %u (mprotect %d %d)", n, r1, r2);
        expect(name, F(c)(0, 0, 0), n * 1111);
    }
    munmap(c, PAGE);
}

/* unmap and map a fresh page at the same address with different code */
static void remap_same(void)
{
    u32 *c = map_rwx(NULL, 0);
    if (!c) { fails++; return; }
    c[0] = MOVW_R0(1234); c[1] = BX_LR;
    sync(c, 2);
    expect("before munmap", F(c)(0, 0, 0), 1234);
    for (u32 n = 0; n < 3; n++) {
        munmap(c, 2 * PAGE);
        u32 *d = map_rwx(c, MAP_FIXED);
        if (d != c) { printf("MAP_FIXED remap moved\n"); fails++; return; }
        expect("fresh page reads zero", d[0] | d[1], 0);
        d[0] = MOVW_R0(4321 + n); d[1] = BX_LR;
        sync(d, 2);
        expect("after munmap+MAP_FIXED remap", F(d)(0, 0, 0), 4321 + n);
    }
    munmap(c, 2 * PAGE);
}

/* Generated code stores r1 over its own "target" instruction, flushes with
 * the cacheflush syscall from inside the generated code, then runs it. */
static void self_patch(u32 *c)
{
    int n = 0, tgt;
    c[n++] = 0xe92d4087u;            /* push {r0, r1, r2, r7, lr} */
    c[n++] = 0xe5821000u;            /* str r1, [r2] */
    c[n++] = 0xe1a00002u;            /* mov r0, r2 */
    c[n++] = 0xe2821004u;            /* add r1, r2, #4 */
    c[n++] = 0xe3a02000u;            /* mov r2, #0 */
    c[n++] = 0xe3007002u;            /* movw r7, #2 */
    c[n++] = 0xe340700fu;            /* movt r7, #0xf  (r7 = 0xf0002 cacheflush) */
    c[n++] = 0xef000000u;            /* svc 0 */
    c[n++] = 0xe8bd4087u;            /* pop {r0, r1, r2, r7, lr} */
    tgt = n;
    c[n++] = MOV_R0_IMM8(1);         /* overwritten at run time */
    c[n++] = BX_LR;
    sync(c, n);
    char name[48];
    for (u32 v = 10; v <= 50; v += 10) {
        snprintf(name, sizeof name, "self-patched mov r0,#%u", v);
        expect(name, F(c)(0, MOV_R0_IMM8(v), (u32)(uintptr_t)(c + tgt)), v);
    }
    expect("target word holds last patch (1=yes)", c[tgt] == MOV_R0_IMM8(50), 1);
}

int main(void)
{
    u32 *c = map_rwx(NULL, 0);
    if (!c) return 1;
    imm_patches(c);
    opcode_patches(c);
    loop_patch(c + 64);
    middle_patch(c + 128);
    memset(c, 0, 2 * PAGE);
    shared_page(c);
    self_patch(c + 512);
    munmap(c, 2 * PAGE);
    wx_flip();
    remap_same();
    printf("checksum %08x fails %d\n", ck, fails);
    return fails ? 1 : 0;
}
