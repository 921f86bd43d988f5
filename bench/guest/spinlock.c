/* spinlock: one spinlock shared by all threads, with a short critical
 * section (two plain read-modify-writes of data on the lock's own line).
 * usage: spinlock threads ops-per-thread [ldrex|swp]
 *   ldrex: test-and-test-and-set with LDREX/STREX, DMB after acquiring
 *          (x86-64: `lock cmpxchg`, the natural CAS mapping)
 *   swp:   test-and-set with SWP, the pre-ARMv6 way (x86-64: `xchg`, which
 *          is exactly an atomic swap; under AIE the first SWP also turns on
 *          the store helpers for the chunks that have an entry)
 * Release is DMB + plain store of 0 in both.  While the lock is taken a
 * waiter spins on plain loads and yields now and then (bench.h).  The
 * protected data sits beside the lock word, as in typical code: under
 * tlbexcl those stores hit a page holding reservations, under AIE (after a
 * SWP) a chunk with an entry.
 * One op = acquire, update, release.  A failure (BENCH fails=) is a try-lock
 * that found the lock taken or lost its STREX.  Check: the protected counter
 * equals the ops executed (timed and warm-up) and the protected sum matches. */
#include "bench.h"

static struct {
    volatile uint32_t lock;
    volatile uint32_t count;
    volatile uint32_t sum_lo, sum_hi;
} BENCH_ALIGNED shared;

static inline uint32_t try_lock_ldrex(volatile uint32_t *l)
{
#ifdef __arm__
    uint32_t old, status;
    __asm__ volatile(
        "ldrex   %0, [%2]\n\t"
        "cmp     %0, #0\n\t"
        "bne     1f\n\t"
        "strex   %1, %3, [%2]\n\t"
        "b       2f\n"
        "1:\n\t"
        "clrex\n\t"
        "mov     %1, #1\n"
        "2:\n\t"
        : "=&r"(old), "=&r"(status)
        : "r"(l), "r"(1u)
        : "memory", "cc");
    return status == 0;
#else
    uint32_t expected = 0;
    return __atomic_compare_exchange_n(l, &expected, 1u, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
#endif
}

static inline uint32_t try_lock_swp(volatile uint32_t *l)
{
#ifdef __arm__
    /* SWP r1, r2, [r0] as an instruction word: gas refuses or warns about
     * SWP for ARMv7.  Encoding (ARM ARM A8.8.229): cond=1110 00010 B=0 00
     * Rn=r0 Rt=r1 0000 1001 Rt2=r2 = 0xe1001092. */
    register uint32_t r0 __asm__("r0") = (uint32_t)(uintptr_t)l;
    register uint32_t r2 __asm__("r2") = 1;
    register uint32_t r1 __asm__("r1");
    __asm__ volatile(".inst 0xe1001092 @ swp r1, r2, [r0]" : "=&r"(r1) : "r"(r0), "r"(r2) : "memory");
    return r1 == 0;
#else
    return __atomic_exchange_n(l, 1u, __ATOMIC_ACQUIRE) == 0;
#endif
}

static int use_swp;

/* Acquires the lock; returns the failed try-lock attempts before it got it. */
static inline uint32_t lock(volatile uint32_t *l)
{
    uint32_t spins = 0, failed = 0;
    for (;;) {
        if (use_swp ? try_lock_swp(l) : try_lock_ldrex(l)) break;
        failed++;
        while (ld32(l)) bench_relax(&spins);
    }
    bench_dmb();
    return failed;
}

static inline void unlock(volatile uint32_t *l)
{
    bench_dmb();
    st32(l, 0);
}

static BENCH_HOT uint64_t body(int self, uint64_t from, uint64_t to, int timed)
{
    (void)timed;
    uint64_t failed = 0;
    for (uint64_t i = from; i < to; i++) {
        failed += lock(&shared.lock);
        shared.count = shared.count + 1;
        uint64_t s = ((uint64_t)shared.sum_hi << 32 | shared.sum_lo) + i;
        shared.sum_lo = (uint32_t)s;
        shared.sum_hi = (uint32_t)(s >> 32);
        unlock(&shared.lock);
    }
    bench_failed(self, failed);
    return 0;
}

int main(int argc, char **argv)
{
    bench_args(argc, argv, "threads ops-per-thread [ldrex|swp]");
    const char *v = bench_variant ? bench_variant : "ldrex";
    if (!strcmp(v, "swp")) use_swp = 1;
    else if (strcmp(v, "ldrex")) { fprintf(stderr, "bad variant '%s' (ldrex or swp)\n", v); return 2; }
    bench_fails_measured = 1;
    uint64_t unused;
    uint64_t ns = bench_run(body, &unused);
    uint64_t want_count = bench_executed();
    uint64_t want_sum = (bench_triangle(bench_ops) + bench_triangle(bench_warmup)) * (uint64_t)bench_threads;
    uint64_t sum = (uint64_t)shared.sum_hi << 32 | shared.sum_lo;
    int pass = shared.count == (uint32_t)want_count && sum == want_sum && shared.lock == 0;
    char name[32];
    snprintf(name, sizeof name, "spinlock-%s", v);
    int status = bench_report(name, ns, sum ^ ((uint64_t)shared.count << 32), pass);
    if (status)
        fprintf(stderr, "spinlock: count %u (expected %u), sum %llu (expected %llu), lock word %u\n", shared.count,
                (uint32_t)want_count, (unsigned long long)sum, (unsigned long long)want_sum, shared.lock);
    return status;
}
