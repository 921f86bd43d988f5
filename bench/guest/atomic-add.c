/* atomic-add: atomic increments of shared counters, in the style of QEMU's
 * tests/bench/atomic_add-bench.
 * usage: atomic-add threads ops-per-thread [counters]
 *   counters: 1, 2, 4, ... 4096 (a power of two, default 1): the counters
 *             are shared, one per 64-byte line, and each op increments the
 *             one picked by the thread's own xorshift (1 counter: every op
 *             hits the same line; 1024: 64 KiB, 16 pages, rare collisions)
 *   private:  every thread increments its own counter (own line): the cost
 *             of an uncontended atomic
 * One op = one atomic increment: LDREX/ADD/STREX retried until the STREX
 * succeeds on ARM (each STREX that returns 1 is a failure in the BENCH
 * line), `lock add` on x86-64 (which cannot fail, so natively no failures
 * are counted).  No barrier: nothing is published through the counters (as
 * a statistics counter in real code).
 * Check: the counters sum to the ops executed (timed and warm-up).       */
#include "bench.h"

#define MAX_COUNTERS 4096

static struct { volatile uint32_t v; } BENCH_ALIGNED counters[MAX_COUNTERS];
static struct { volatile uint32_t v; } BENCH_ALIGNED privates[BENCH_MAXT];
static uint32_t mask;

/* One increment; returns how many STREX failed before one succeeded. */
static inline uint32_t atomic_inc(volatile uint32_t *p)
{
#ifdef __arm__
    uint32_t v, status, failed = 0;
    for (;;) {
        __asm__ volatile(
            "ldrex   %0, [%2]\n\t"
            "add     %0, %0, #1\n\t"
            "strex   %1, %0, [%2]\n\t"
            : "=&r"(v), "=&r"(status)
            : "r"(p)
            : "memory");
        if (!status) return failed;
        failed++;
    }
#else
    __atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
    return 0;
#endif
}

/* The xorshift state of each thread, kept across chunks (own line each). */
static struct { uint32_t s; } BENCH_ALIGNED seeds[BENCH_MAXT];

static BENCH_HOT uint64_t shared_body(int self, uint64_t from, uint64_t to, int timed)
{
    if (from == 0) seeds[self].s = 0x9e3779b9u * (uint32_t)(self + 1) + (timed ? 0 : 0x7f4a7c15u);
    uint32_t seed = seeds[self].s;
    uint64_t failed = 0;
    for (uint64_t i = from; i < to; i++) failed += atomic_inc(&counters[bench_xorshift(&seed) & mask].v);
    seeds[self].s = seed;
    bench_failed(self, failed);
    return 0;
}

static BENCH_HOT uint64_t private_body(int self, uint64_t from, uint64_t to, int timed)
{
    (void)timed;
    volatile uint32_t *mine = &privates[self].v;
    uint64_t failed = 0;
    for (uint64_t i = from; i < to; i++) failed += atomic_inc(mine);
    bench_failed(self, failed);
    return 0;
}

int main(int argc, char **argv)
{
    bench_args(argc, argv, "threads ops-per-thread [counters: 1|2|...|4096|private]");
#ifdef __arm__
    bench_fails_measured = 1;
#endif
    const char *v = bench_variant ? bench_variant : "1";
    int private = !strcmp(v, "private");
    uint32_t n = 0;
    if (!private) {
        char *end;
        unsigned long c = strtoul(v, &end, 10);
        if (*end || c < 1 || c > MAX_COUNTERS || (c & (c - 1))) {
            fprintf(stderr, "bad counters '%s' (a power of two 1..%d, or private)\n", v, MAX_COUNTERS);
            return 2;
        }
        n = (uint32_t)c;
        mask = n - 1;
    }
    uint64_t unused;
    uint64_t ns = bench_run(private ? private_body : shared_body, &unused);
    uint64_t sum = 0, hash = 1469598103934665603ull;
    uint32_t count = private ? (uint32_t)bench_threads : n;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t c = private ? privates[i].v : counters[i].v;
        sum += c;
        hash = (hash ^ c) * 1099511628211ull;
    }
    uint64_t want = bench_executed();
    char name[32];
    snprintf(name, sizeof name, "atomic-add-%s", v);
    int status = bench_report(name, ns, hash, sum == want);
    if (status) fprintf(stderr, "atomic-add: counters sum to %llu, expected %llu\n", (unsigned long long)sum, (unsigned long long)want);
    return status;
}
