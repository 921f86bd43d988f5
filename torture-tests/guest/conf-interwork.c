/* conf-interwork: ARM and Thumb code calling each other, and the Thumb
 * corner cases of a translator.
 *
 * - Functions compiled for the other instruction set (target("arm") /
 *   target("thumb")) called directly (BL/BLX immediate) and through function
 *   pointers (BLX register), mutual recursion across the two sets, and
 *   returns by BX LR and by POP/LDM {..., pc}.
 * - The Linux kuser helpers (0xffff0fe0 get_tls, 0xffff0fc0 cmpxchg,
 *   0xffff0fa0 memory barrier, 0xffff0f60 cmpxchg64) called from ARM and
 *   from Thumb code: they are ARM code and return to the caller's state.
 * - A 32-bit Thumb instruction that straddles a page boundary, as the second
 *   instruction of an IT block that starts on the first page.
 * - A conditional SVC inside an IT block, executed and skipped.
 * - A load that faults inside an IT block: the SIGSEGV frame's CPSR holds
 *   the Thumb bit and the faulting slot's ITSTATE; the handler skips the load
 *   and advances ITSTATE, and sigreturn resumes the rest of the block under
 *   its conditions.
 * - TBB and TBH: the dense switches GCC compiles to table branches in Thumb.
 * Expected: every line "ok ...", then "checksum XXXXXXXX fails 0", exit 0.
 * Built as A32 (-marm) and as Thumb (-mthumb): both must print the same. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

static int fails;
static uint32_t checksum = 2166136261u;

static void check(const char *what, long long got, long long want)
{
    uint64_t v = (uint64_t)got;
    for (int i = 0; i < 8; i++) checksum = (checksum ^ (uint8_t)(v >> (8 * i))) * 16777619u;
    if (got == want) {
        printf("ok %s\n", what);
    } else {
        printf("FAIL %s: got %lld want %lld\n", what, got, want);
        fails++;
    }
}

/* ---- calls across instruction sets ---- */

__attribute__((target("arm"), noinline)) int arm_leaf(int a, int b) { return a * 3 + b; }
__attribute__((target("thumb"), noinline)) int thumb_leaf(int a, int b) { return a * 5 - b; }

__attribute__((target("thumb"), noinline)) int thumb_even(int n);
__attribute__((target("arm"), noinline)) int arm_odd(int n)
{
    volatile int pad[4] = { n, n, n, n }; /* a frame: the return pops pc */
    return n == 0 ? 0 : thumb_even(n - 1) + pad[3] % 7;
}
__attribute__((target("thumb"), noinline)) int thumb_even(int n)
{
    volatile int pad[4] = { n, n, n, n };
    return n == 0 ? 1 : arm_odd(n - 1) + pad[2] % 5;
}

typedef int (*binop)(int, int);
static binop volatile ops[4] = { arm_leaf, thumb_leaf, arm_leaf, thumb_leaf };

__attribute__((target("arm"), noinline)) int arm_apply(int i, int a, int b) { return ops[i & 3](a, b); }
__attribute__((target("thumb"), noinline)) int thumb_apply(int i, int a, int b) { return ops[i & 3](a, b); }

/* The same computations in plain C, for the self-check. */
static int ref_even(int n);
static int ref_odd(int n) { return n == 0 ? 0 : ref_even(n - 1) + n % 7; }
static int ref_even(int n) { return n == 0 ? 1 : ref_odd(n - 1) + n % 5; }
static int ref_op(int i, int a, int b) { return (i & 1) ? a * 5 - b : a * 3 + b; }

static void test_calls(void)
{
    check("arm leaf", arm_leaf(7, 2), 23);
    check("thumb leaf", thumb_leaf(7, 2), 33);
    check("mutual recursion arm/thumb", arm_odd(41), ref_odd(41));
    check("even/odd recursion depth 200", thumb_even(200), ref_even(200));
    int sum = 0, want = 0;
    for (int i = 0; i < 64; i++) {
        sum += arm_apply(i, i, 3) + thumb_apply(i, i, 5);
        want += ref_op(i, i, 3) + ref_op(i, i, 5);
    }
    check("pointer calls from both sets", sum, want);
}

/* ---- kuser helpers ---- */

typedef void *(*kuser_get_tls_t)(void);
typedef int (*kuser_cmpxchg_t)(int oldval, int newval, volatile int *ptr);
typedef void (*kuser_dmb_t)(void);
typedef int (*kuser_cmpxchg64_t)(const int64_t *oldval, const int64_t *newval, volatile int64_t *ptr);
#define KUSER_GET_TLS ((kuser_get_tls_t)0xffff0fe0)
#define KUSER_CMPXCHG ((kuser_cmpxchg_t)0xffff0fc0)
#define KUSER_DMB ((kuser_dmb_t)0xffff0fa0)
#define KUSER_CMPXCHG64 ((kuser_cmpxchg64_t)0xffff0f60)

static volatile int word = 5;
static volatile int64_t dword = 0x100000005ll;

#define KUSER_TEST(set, attr)                                                      \
    attr __attribute__((noinline)) int kuser_##set(void)                          \
    {                                                                              \
        int r = 0;                                                                 \
        r += KUSER_GET_TLS() == __builtin_thread_pointer();                        \
        r += 2 * (KUSER_CMPXCHG(5, 9, &word) == 0 && word == 9);                   \
        r += 4 * (KUSER_CMPXCHG(5, 7, &word) != 0 && word == 9);                   \
        KUSER_DMB();                                                               \
        int64_t old = 0x100000005ll, nw = 0x200000009ll;                           \
        r += 8 * (KUSER_CMPXCHG64(&old, &nw, &dword) == 0 && dword == nw);         \
        r += 16 * (KUSER_CMPXCHG64(&old, &nw, &dword) != 0);                       \
        word = 5;                                                                  \
        dword = 0x100000005ll;                                                     \
        return r;                                                                  \
    }
KUSER_TEST(arm, __attribute__((target("arm"))))
KUSER_TEST(thumb, __attribute__((target("thumb"))))

/* ---- a Thumb instruction across a page boundary, inside an IT block ---- */

/* cross_page(x): x + 0x100 when x != 0, else 0 + 0 (the IT skips the add).
 * The IT sits at page offset 0xffc, its add.w at 0xffe..0x1001. */
__asm__(
    ".syntax unified\n"
    ".text\n"
    ".balign 4096\n"
    ".thumb\n"
    ".thumb_func\n"
    ".global cross_page\n"
    ".type cross_page, %function\n"
    "cross_page:\n"
    "  b.w 1f\n"
    "  .space 4096 - 4 - 8\n"
    "1: movs r1, #0\n"          /* page offset 0xff8 */
    "  cmp r0, r1\n"            /* 0xffa */
    "  it ne\n"                 /* 0xffc */
    "  addne.w r0, r0, #0x100\n" /* 0xffe .. 0x1001 */
    "  bx lr\n"
    ".size cross_page, . - cross_page\n"
    ".arm\n");
int cross_page(int x);

/* ---- a conditional SVC inside an IT block ---- */

/* getpid through an SVC that runs only when `call` is nonzero; else -1. */
__asm__(
    ".syntax unified\n"
    ".text\n"
    ".thumb\n"
    ".thumb_func\n"
    ".global it_svc\n"
    ".type it_svc, %function\n"
    "it_svc:\n"
    "  push {r7, lr}\n"
    "  movs r7, #20\n"          /* __NR_getpid */
    "  cmp r0, #0\n"
    "  mov r0, #-1\n"
    "  itt ne\n"
    "  svcne 0\n"
    "  addne r0, r0, #0\n"
    "  pop {r7, pc}\n"
    ".size it_svc, . - it_svc\n"
    ".arm\n");
int it_svc(int call);

/* ---- a fault inside an IT block ---- */

/* it_fault(p): ITTE EQ with Z set: a load from p (faults), r2 += 1, r2 += 100
 * (skipped). 8 when the block survives the fault; 108 when ITSTATE is lost,
 * 16 when the frame's ITSTATE is not the faulting slot's. */
__asm__(
    ".syntax unified\n"
    ".text\n"
    ".thumb\n"
    ".thumb_func\n"
    ".global it_fault\n"
    ".type it_fault, %function\n"
    "it_fault:\n"
    "  movs r1, #0\n"
    "  movs r2, #7\n"
    "  cmp r1, #0\n"
    "  itte eq\n"
    "  ldreq r1, [r0]\n"
    "  addeq r2, r2, #1\n"
    "  addne r2, r2, #100\n"
    "  mov r0, r2\n"
    "  bx lr\n"
    ".size it_fault, . - it_fault\n"
    ".arm\n");
int it_fault(int *p);

static volatile uint32_t fault_cpsr;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig;
    (void)si;
    uint32_t cpsr = uc->uc_mcontext.arm_cpsr;
    fault_cpsr = cpsr;
    /* Skip the 16-bit load as an emulating handler does (the kernel's
     * it_advance): the next instruction runs in the block's next slot. */
    uint32_t it = ((cpsr >> 25) & 3) | ((cpsr >> 8) & 0xfc);
    it = (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
    cpsr = (cpsr & ~0x0600fc00u) | ((it & 3) << 25) | ((it & 0xfc) << 8);
    uc->uc_mcontext.arm_cpsr = cpsr;
    uc->uc_mcontext.arm_pc += 2;
}

static void test_fault_in_it(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    int r = it_fault((int *)16);
    check("fault inside an IT block: the rest of the block runs under its conditions", r, 8);
    check("fault inside an IT block: the frame has the Thumb bit", (fault_cpsr >> 5) & 1, 1);
    printf("fault inside an IT block: frame CPSR IT bits 0x%08x\n", (unsigned)(fault_cpsr & 0x0600fc00));
    check("fault inside an IT block: the frame has ITSTATE", (fault_cpsr & 0x0600fc00) != 0, 1);
    signal(SIGSEGV, SIG_DFL);
}

/* ---- switches (TBB/TBH in Thumb, a jump table in ARM) ---- */

__attribute__((noinline)) static int dense_small(int k)
{
    switch (k) {
    case 0: return 11; case 1: return 23; case 2: return 35; case 3: return 47;
    case 4: return 59; case 5: return 61; case 6: return 73; case 7: return 85;
    default: return -1;
    }
}

__attribute__((noinline)) static int dense_large(int k)
{
    volatile int pad = 0;
    switch (k) {
#define C(n) case n: pad += n * 7; for (int i = 0; i < 40; i++) pad = pad * 3 + i; return pad + n;
    C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11)
#undef C
    default: return -2;
    }
}

int main(void)
{
    test_calls();
    check("kuser helpers from ARM code", kuser_arm(), 31);
    check("kuser helpers from Thumb code", kuser_thumb(), 31);
    check("page-crossing instruction in an IT block (taken)", cross_page(5), 0x105);
    check("page-crossing instruction in an IT block (skipped)", cross_page(0), 0);
    check("svc inside an IT block (taken)", it_svc(1) == getpid(), 1);
    check("svc inside an IT block (skipped)", it_svc(0), -1);
    test_fault_in_it();
    static const int small[] = { 11, 23, 35, 47, 59, 61, 73, 85 };
    int s = 0, want = 0;
    for (int k = -1; k < 10; k++) {
        s = s * 31 + dense_small(k);
        want = want * 31 + (k >= 0 && k < 8 ? small[k] : -1);
    }
    check("dense switch", s, want);
    int l = 0, lwant = 0;
    for (int k = -1; k < 13; k++) {
        l = l * 31 + dense_large(k);
        int pad = k * 7;
        for (int i = 0; i < 40; i++) pad = pad * 3 + i;
        lwant = lwant * 31 + (k >= 0 && k < 12 ? pad + k : -2);
    }
    check("dense switch (large cases)", l, lwant);
    printf("checksum %08x fails %d\n", checksum, fails);
    return fails != 0;
}
