/* parallel-compute: a non-atomic, embarrassingly parallel workload.
 * usage: parallel-compute [threads] [work-units-per-thread]   (default 1 20000)
 * Each thread runs a private integer kernel (xorshift, table lookups, a small
 * insertion sort, hashing) on its own stack; nothing is shared but the start
 * gate.  It measures what a strategy costs code without atomics.  The timed
 * section and the BENCH line come from bench.h (thread creation and a
 * warm-up of half as many units per thread are outside the timed section):
 *   BENCH workload=parallel-compute threads=T ops=N ns=E checksum=C check=pass warmup=W
 * The check recomputes the end of one thread's timed work.  The kernel
 * keeps its last CHECK_UNITS accumulators in a ring with a store per unit
 * and no branch: a path the hot loop takes once (a test for one unit) runs
 * in the timed section after the translator's JIT compiled the loop
 * without it, and costs a deoptimisation and a recompilation there.      */
#include "bench.h"

/* The hot path (run with kernel and unit inlined into it) is one function
 * aligned to a page, so that it never spans a page boundary: qemu-arm
 * chains direct jumps only within a page, and a kernel that crossed one ran
 * 3.5 times slower there (reports/measurements/speed.md). */
#define HOT_INLINE static inline __attribute__((always_inline))
#define HOT_PAGE __attribute__((aligned(4096)))

HOT_INLINE uint32_t unit(uint32_t seed)
{
    uint32_t a[32], x = seed | 1, h = 2166136261u;
    for (int i = 0; i < 32; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        a[i] = x;
    }
    for (int i = 1; i < 32; i++) {          /* insertion sort */
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
    for (int i = 0; i < 32; i++) h = (h ^ a[i]) * 16777619u;
    return h;
}

#define CHECK_UNITS 64                  /* a power of two */

/* Each thread's accumulator, carried from chunk to chunk (own line each). */
static struct { uint32_t v; } BENCH_ALIGNED accs[BENCH_MAXT];

/* Each thread's accumulators after its last CHECK_UNITS units (own lines). */
static struct { uint32_t v[CHECK_UNITS]; } BENCH_ALIGNED trails[BENCH_MAXT];

HOT_INLINE uint32_t kernel(uint32_t acc, uint64_t from, uint64_t to, int self)
{
    uint32_t *trail = trails[self].v;
    for (uint64_t i = from; i < to; i++) {
        acc += unit(acc + (uint32_t)i);
        trail[i & (CHECK_UNITS - 1)] = acc;
    }
    return acc;
}

/* Thread t's last timed units (all of them when few), recomputed from its
 * seed or from the oldest accumulator in its trail, must end at its final
 * accumulator. */
static int check_thread(int t)
{
    if (bench_ops == 0) return 1;
    uint64_t from = bench_ops >= CHECK_UNITS ? bench_ops - (CHECK_UNITS - 1) : 0;
    uint32_t acc = from ? trails[t].v[(from - 1) & (CHECK_UNITS - 1)] : (uint32_t)t * 0x9e3779b9u;
    for (uint64_t i = from; i < bench_ops; i++) acc += unit(acc + (uint32_t)i);
    return acc == accs[t].v;
}

/* The warm-up takes the timed path too (bench.h), from another seed. */
static HOT_PAGE uint64_t run(int self, uint64_t from, uint64_t to, int timed)
{
    if (from == 0) accs[self].v = timed ? (uint32_t)self * 0x9e3779b9u : (uint32_t)self * 0x85ebca6bu + 1;
    uint32_t acc = kernel(accs[self].v, from, to, self);
    accs[self].v = acc;
    return to == bench_ops ? acc : 0;   /* the checksum: each thread's final accumulator */
}

int main(int argc, char **argv)
{
    char *args[] = { argv[0], argc > 1 ? argv[1] : "1", argc > 2 ? argv[2] : "20000", NULL };
    if (argc > 3) { fprintf(stderr, "usage: %s [threads] [work-units-per-thread]\n", argv[0]); return 2; }
    bench_args(3, args, "[threads] [work-units-per-thread]");
    uint64_t sum;
    uint64_t ns = bench_run(run, &sum);
    /* Check: the last thread's last CHECK_UNITS units, recomputed here
     * (cheap, so single-thread.ts's instruction count stays the work's). */
    int last = bench_threads - 1;
    int pass = check_thread(last);
    int status = bench_report("parallel-compute", ns, sum, pass);
    if (status) fprintf(stderr, "parallel-compute: thread %d's result differs from a recomputation\n", last);
    return status;
}
