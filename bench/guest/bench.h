/* bench.h: the harness shared by the benchmark guests (mttcg-lab).
 *
 * One source builds for both sides of the comparison: for ARMv7-A (the
 * guest, built by guest-build.mk) and natively for the x86-64 host (the
 * "physical limit" line, `make native`).  Everything ISA-specific is behind
 * `#ifdef __arm__`: on ARM the atomics are hand-written LDREX/STREX, LDREXD/
 * STREXD and SWP sequences (each one asm statement, so no compiler spill
 * lands inside an exclusive window); otherwise GCC's __atomic builtins,
 * which on x86-64 become `lock add`, `lock cmpxchg` and `xchg`.
 *
 * Usage of every program: PROG threads ops-per-thread [variant]
 *
 * Timing: the threads are created first; each runs a warm-up of half its
 * op count (untimed: it pays for translation and JIT tier-up, which under
 * mttcg every vCPU does for itself) and then signals that it is ready.  When
 * all are, the main thread opens the start gate (a futex) and every thread
 * reads CLOCK_MONOTONIC before and after its ops.  The reported ns is latest
 * end minus earliest start, so thread creation (which under mttcg starts a
 * worker), warm-up and thread exit are outside the timed section.  The
 * programs' checks count the warm-up ops too (bench_executed()).
 *
 * The harness itself uses no read-modify-write atomics (only ordered plain
 * loads and stores and futex calls), so it keeps working under a strategy
 * whose atomics are broken on purpose (the `unsafe` negative control): that
 * shows up as a failed self-check, not as a hang.
 *
 * Output: one machine-readable line, then exit 0 if the program's own
 * correctness check passed, 1 if not (the reason goes to stderr):
 *   BENCH workload=NAME threads=T ops=TOTAL ns=NS checksum=HEX check=pass|fail warmup=W
 * where TOTAL counts the timed ops of all threads and W the untimed warm-up
 * ops of all threads.
 */
#ifndef BENCH_H
#define BENCH_H

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#define BENCH_MAXT 64
#define BENCH_LINE 64
#define BENCH_ALIGNED __attribute__((aligned(BENCH_LINE)))
#define BENCH_UNUSED __attribute__((unused))

/* ------------------------------------------------------------------ */
/* ordering and plain shared accesses                                  */

#ifdef __arm__
static inline void bench_dmb(void) { __asm__ volatile("dmb ish" ::: "memory"); }
#else
static inline void bench_dmb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
#endif

static inline uint32_t ld32(const volatile uint32_t *p) { return *p; }
static inline void st32(volatile uint32_t *p, uint32_t v) { *p = v; }

/* Waiting spinners yield after this many turns: with more vCPUs than host
 * cores the holder of a lock may be descheduled, and pure spinning would
 * then burn the time slice it needs. */
#define BENCH_SPIN_BEFORE_YIELD 1000u

static inline void bench_relax(uint32_t *spins)
{
    if (++*spins >= BENCH_SPIN_BEFORE_YIELD) { *spins = 0; sched_yield(); }
}

/* per-thread xorshift32 (never returns 0 for a non-zero state) */
static inline uint32_t bench_xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* futex gate                                                          */

static inline void bench_futex_wait(volatile uint32_t *p, uint32_t v)
{
    syscall(SYS_futex, p, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static inline void bench_futex_wake(volatile uint32_t *p)
{
    syscall(SYS_futex, p, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Blocks until *p != 0. */
static inline void bench_await(volatile uint32_t *p)
{
    while (!ld32(p)) bench_futex_wait(p, 0);
    bench_dmb();
}

static inline void bench_signal(volatile uint32_t *p)
{
    bench_dmb();
    st32(p, 1);
    bench_futex_wake(p);
}

/* ------------------------------------------------------------------ */
/* threads                                                             */

struct bench_thread {
    pthread_t tid;
    int index;
    volatile uint32_t ready;
    uint64_t start_ns, end_ns;
    uint64_t result;             /* the timed body's contribution to the checksum */
} BENCH_ALIGNED;

static struct bench_thread bench_t[BENCH_MAXT];
static volatile uint32_t bench_go BENCH_ALIGNED;
static int bench_threads;
static uint64_t bench_ops;           /* timed ops per thread */
static uint64_t bench_warmup;        /* untimed warm-up ops per thread (bench_ops / 2) */
static const char *bench_variant;     /* argv[3] or NULL */
/* Runs n ops on thread self; timed = 0 for the warm-up. */
static uint64_t (*bench_body)(int self, uint64_t n, int timed);

/* Ops executed by all threads, warm-up included: what the checks expect. */
static inline uint64_t bench_executed(void) { return (bench_ops + bench_warmup) * (uint64_t)bench_threads; }

/* sum of 0..n-1 */
static inline uint64_t bench_triangle(uint64_t n) { return n ? n * (n - 1) / 2 : 0; }

static void *bench_thread_main(void *arg)
{
    struct bench_thread *me = arg;
    bench_body(me->index, bench_warmup, 0);
    bench_signal(&me->ready);
    bench_await(&bench_go);
    me->start_ns = bench_now_ns();
    me->result = bench_body(me->index, bench_ops, 1);
    me->end_ns = bench_now_ns();
    return NULL;
}

/* argv: threads ops-per-thread [variant].  Exits 2 on malformed arguments. */
static inline void bench_args(int argc, char **argv, const char *usage)
{
    char *end;
    if (argc < 3 || argc > 4) { fprintf(stderr, "usage: %s %s\n", argv[0], usage); exit(2); }
    long t = strtol(argv[1], &end, 10);
    if (*end || t < 1 || t > BENCH_MAXT) { fprintf(stderr, "bad threads '%s' (1..%d)\n", argv[1], BENCH_MAXT); exit(2); }
    unsigned long long n = strtoull(argv[2], &end, 10);
    if (*end || argv[2][0] == '-' || n > 1000000000ull) {
        fprintf(stderr, "bad ops-per-thread '%s' (0..1000000000)\n", argv[2]);
        exit(2);
    }
    bench_threads = (int)t;
    bench_ops = n;
    bench_warmup = n / 2;
    bench_variant = argc > 3 ? argv[3] : NULL;
}

/* Runs body on every thread (warm-up, then the timed ops at once); returns
 * the timed section in ns and the sum of the timed bodies' results in *sum. */
static inline uint64_t bench_run(uint64_t (*body)(int self, uint64_t n, int timed), uint64_t *sum)
{
    bench_body = body;
    for (int i = 0; i < bench_threads; i++) {
        bench_t[i].index = i;
        if (pthread_create(&bench_t[i].tid, NULL, bench_thread_main, &bench_t[i])) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2);
        }
    }
    for (int i = 0; i < bench_threads; i++) bench_await(&bench_t[i].ready);
    bench_signal(&bench_go);
    uint64_t first = UINT64_MAX, last = 0, s = 0;
    for (int i = 0; i < bench_threads; i++) {
        pthread_join(bench_t[i].tid, NULL);
        if (bench_t[i].start_ns < first) first = bench_t[i].start_ns;
        if (bench_t[i].end_ns > last) last = bench_t[i].end_ns;
        s += bench_t[i].result;
    }
    *sum = s;
    return last - first;
}

/* Prints the BENCH line; returns the exit status (0 pass, 1 fail). */
static inline int bench_report(const char *name, uint64_t ns, uint64_t checksum, int pass)
{
    printf("BENCH workload=%s threads=%d ops=%llu ns=%llu checksum=%016llx check=%s warmup=%llu\n", name, bench_threads,
           (unsigned long long)bench_ops * (unsigned long long)bench_threads, (unsigned long long)ns,
           (unsigned long long)checksum, pass ? "pass" : "fail",
           (unsigned long long)bench_warmup * (unsigned long long)bench_threads);
    fflush(stdout);
    return pass ? 0 : 1;
}

#endif
