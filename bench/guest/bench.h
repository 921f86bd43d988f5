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
 * Timing: the threads are created first; when all are, the main thread
 * opens the warm-up gate and each runs a warm-up of half its op count
 * (untimed: it pays for translation and JIT tier-up, which under mttcg
 * every vCPU does for itself; the threads warm up at the same time, so that
 * a contended workload's paths for a lost race are warm too) and then
 * signals that it is ready.  When
 * all are, the main thread opens the start gate (a futex) and every thread
 * reads CLOCK_MONOTONIC before and after its ops.  The reported ns is latest
 * end minus earliest start, so thread creation (which under mttcg starts a
 * worker), warm-up and thread exit are outside the timed section.  The
 * programs' checks count the warm-up ops too (bench_executed()).
 *
 * The warm-up runs through the very code the timed section runs (the same
 * clock reads, chunk loop, progress stores, body calls and the contended
 * window's note, with the timed section's chunk size; bench_section): under a JIT a path first taken after the gate (a chunk's return, a
 * store only the timed body made) costs a deoptimisation and a recompilation
 * inside the timed section, which on a 2-core host also takes a core from the
 * other thread (reports/measurements/speed.md).  After the futex gate the
 * threads meet at a spin barrier (each sets its own word, then waits for the
 * others' with plain loads), so that one thread's slower wake-up from the
 * futex does not start it late: the timed sections start together.
 *
 * The harness itself uses no read-modify-write atomics (only ordered plain
 * loads and stores and futex calls), so it keeps working under a strategy
 * whose atomics are broken on purpose (the `unsafe` negative control): that
 * shows up as a failed self-check, not as a hang.
 *
 * Evidence that the threads really ran at the same time (so that a point
 * where the vCPUs took turns is not read as scaling data):
 *   - each thread's CPU time during its timed section
 *     (CLOCK_THREAD_CPUTIME_ID; mttcg maps it to the vCPU's host thread,
 *     qemu-arm and the native build to theirs), beside its wall time;
 *   - overlap: the timed ops run in BENCH_CHUNKS chunks per thread; after
 *     each chunk a thread publishes its progress (a plain store to its own
 *     line) and a chunk is *concurrent* when some other thread's published
 *     progress moved while it ran.  Chunks are far shorter than a host time
 *     slice, so threads that take turns on one CPU leave few concurrent
 *     chunks (only those that straddle a switch); threads that run side by
 *     side leave nearly all of them concurrent;
 *   - the contended window: the section from its start until the FIRST thread
 *     finished its timed ops.  A thread that finishes first goes on no
 *     longer, and from then on the others run alone, uncontended (a spinlock
 *     goes in streaks: one thread may finish its ops well before the
 *     other), so only the window is contended for certain.  A thread that
 *     finishes publishes it (a plain store to a word of the harness's);
 *     every other thread, at the first chunk boundary where it sees that, notes
 *     its ops done, its clock and its CPU clock; a thread that saw no other
 *     finish notes the same at its last chunk boundary (its own end).  The window is the earliest start to the
 *     latest of these notes, and its ops are the ops of all threads up to
 *     their notes: all done inside the window.  Error: a thread that saw
 *     the finish counts the ops of the chunk during which it saw it, so at
 *     most one chunk per thread (ops / 256) ran alone after the first
 *     finish, and the window ends at most that chunk's time after it (plus
 *     the time the finishing store takes to become visible);
 *   - failures: the workload's own count of atomic attempts that lost a race
 *     during the timed section (a STREX that returned 1, a try-lock that
 *     found the lock taken, a CAS that saw another value); bench_failed()
 *     adds to it.  Workloads that cannot count them (x86-64 `lock add`,
 *     glibc's mutex, plain code) leave bench_fails_measured at 0.
 * The chunking is the harness's: a body runs ops [from, to) and is called
 * once per chunk, so the per-op loop itself is unchanged.
 *
 * Output: one machine-readable line, then exit 0 if the program's own
 * correctness check passed, 1 if not (the reason goes to stderr):
 *   BENCH workload=NAME threads=T ops=TOTAL ns=NS checksum=HEX check=pass|fail warmup=W
 *         cpu=C0:C1:... wall=W0:W1:... chunks=K concurrent=J [fails=F] start=S
 * where TOTAL counts the timed ops of all threads, W the untimed warm-up
 * ops of all threads, Ci and Wi thread i's CPU and wall ns in its timed
 * section (cpu=- where the clock is missing), K and J the chunks of all
 * threads and the concurrent ones, F the failures (absent when not counted),
 * S the timed section's start on CLOCK_MONOTONIC in ns (the host's clock
 * under qemu-arm and mttcg: bench/speed/timed-window-cpu.ts finds the
 * section in a sampled record of the host threads' CPU with it).  Then the
 * contended window (above), added after start= so that older parsers read
 * the line as before:
 *         window=WN wops=WOPS wsplit=O0:O1:... wcpu=D0:D1:... wwall=V0:V1:...
 * WN the window in ns, WOPS the ops of all threads in it, Oi thread i's,
 * Di and Vi thread i's CPU and wall ns from its start to its note (wcpu=-
 * where the clock is missing).  WN <= NS and WOPS <= TOTAL.
 * All on one line.
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
/* A hot function (a workload's body, the chunk loop) starts on a 1 KiB
 * boundary: shorter than 1 KiB, it then never spans a page boundary.
 * qemu-arm chains direct jumps only within a page, and a hot loop across
 * one ran several times slower there (reports/measurements/speed.md), so
 * where the linker happened to put a body would decide the comparison.
 * A body must stay under 1 KiB (arm-linux-gnueabi-nm -S shows sizes). */
#define BENCH_HOT __attribute__((aligned(1024), noinline))

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

/* Chunks of each thread's timed ops (fewer when a thread has fewer ops). */
#define BENCH_CHUNKS 256

struct bench_thread {
    pthread_t tid;
    int index;
    volatile uint32_t ready;
    uint64_t start_ns, end_ns;
    int64_t cpu_ns;              /* CPU time in the timed section; -1 when the clock is missing */
    uint64_t result;             /* the timed body's contribution to the checksum */
    uint64_t fails;              /* atomic attempts that lost a race (zeroed after the warm-up) */
    uint32_t chunks, concurrent; /* (zeroed after the warm-up) */
    uint32_t wseen;              /* saw another thread finish, at a chunk boundary (zeroed after the warm-up) */
    uint64_t wops;               /* the contended window: its ops done up to its note, */
    uint64_t wend_ns;            /* the note's time, */
    int64_t wcpu_at, cpu_at0;    /* the CPU clock there, and at its start (-1: no clock) */
} BENCH_ALIGNED;

/* The harness's own data sits on pages of its own (4 KiB each), away from
 * the workloads' atomic data: under tlbexcl a plain store to a page holding
 * a reservation takes the slow path, and the measure must not add those. */
#define BENCH_PAGE __attribute__((aligned(4096)))
static struct bench_thread bench_t[BENCH_MAXT] BENCH_PAGE;
/* Ops each thread has finished, warm-up and timed, one line per thread (the overlap measure). */
static struct { volatile uint32_t v; } BENCH_ALIGNED bench_progress[BENCH_MAXT] BENCH_PAGE;
/* The start barrier after the gate: each thread sets its own word. */
static struct { volatile uint32_t v; } BENCH_ALIGNED bench_arrived[BENCH_MAXT] BENCH_PAGE;
/* The section some thread has finished (the contended window): 1 the
 * warm-up, 2 the timed ops.  Every finisher stores its phase (a plain
 * store: two finishers store the same value), on a page of its own. */
static struct { volatile uint32_t v; } BENCH_ALIGNED bench_finished BENCH_PAGE;
static volatile uint32_t bench_warm BENCH_ALIGNED, bench_go BENCH_ALIGNED;
static int bench_threads;
static uint64_t bench_ops;           /* timed ops per thread */
static uint64_t bench_warmup;        /* untimed warm-up ops per thread (bench_ops / 2) */
static const char *bench_variant;     /* argv[3] or NULL */
static int bench_fails_measured;     /* the workload counts its failed attempts (bench_failed) */
static uint64_t bench_first_start;   /* the timed section's start (CLOCK_MONOTONIC ns) */
static uint64_t bench_window_ns;     /* the contended window (bench_run) */
/* Runs ops [from, to) on thread self; timed = 0 for the warm-up. */
static uint64_t (*bench_body)(int self, uint64_t from, uint64_t to, int timed);

/* A workload's attempts that lost a race (the warm-up's are dropped before
 * the timed section); call it once per body call with a local count, not
 * per attempt. */
static inline void bench_failed(int self, uint64_t n)
{
    bench_t[self].fails += n;
}

/* Ops executed by all threads, warm-up included: what the checks expect. */
static inline uint64_t bench_executed(void) { return (bench_ops + bench_warmup) * (uint64_t)bench_threads; }

/* sum of 0..n-1 */
static inline uint64_t bench_triangle(uint64_t n) { return n ? n * (n - 1) / 2 : 0; }

/* This thread's CPU time in ns, or -1 where the clock is missing. */
static inline int64_t bench_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)) return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline uint32_t bench_others_progress(int self)
{
    uint32_t s = 0;
    for (int j = 0; j < bench_threads; j++)
        if (j != self) s += ld32(&bench_progress[j].v);
    return s;
}

/* The contended window's end for a thread that saw another finish, after
 * `to` ops of its section.  Out of line: it runs once per section, and
 * inlined it would grow bench_section past 1 KiB (BENCH_HOT). */
static __attribute__((noinline)) void bench_note_window(struct bench_thread *me, uint64_t to)
{
    me->wseen = 1;
    me->wend_ns = bench_now_ns();
    me->wcpu_at = bench_cpu_ns();
    me->wops = to;
}

/* The end of a thread's section of n ops (its clock read `end`): publishes
 * the finish, reads the CPU clock and records the section (the window's end
 * was noted in the chunk loop; only a section of no ops ends it here).  Out
 * of line, as bench_note_window. */
static __attribute__((noinline)) void bench_finish(struct bench_thread *me, uint64_t n, int timed, uint64_t start,
                                                   uint64_t end, int64_t cpu0)
{
    st32(&bench_finished.v, timed ? 2u : 1u);
    int64_t cpu1 = bench_cpu_ns();
    me->start_ns = start;
    me->end_ns = end;
    me->cpu_ns = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
    me->cpu_at0 = cpu0;
    if (!me->wseen) {
        me->wend_ns = end;
        me->wcpu_at = cpu1;
        me->wops = n;
    }
}

/* n ops in chunks of the timed section's size, publishing progress (ops
 * done since the thread started, warm-up included, so every value is new),
 * counting the chunks in which another thread made progress too, and
 * noting the contended window's end at the first chunk boundary where
 * another thread has finished.  The warm-up (timed = 0) and the timed ops
 * (timed = 1) run this same code. */
static uint64_t bench_chunks(struct bench_thread *me, uint64_t n, uint64_t done_before, int timed)
{
    int self = me->index;
    uint64_t chunk = (bench_ops + BENCH_CHUNKS - 1) / BENCH_CHUNKS, sum = 0;
    if (chunk == 0) chunk = 1;
    for (uint64_t from = 0; from < n; from += chunk) {
        uint64_t to = from + chunk < n ? from + chunk : n;
        uint32_t before = bench_others_progress(self);
        sum += bench_body(self, from, to, timed);
        st32(&bench_progress[self].v, (uint32_t)(done_before + to));
        if (bench_others_progress(self) != before) me->concurrent++;
        me->chunks++;
        /* A thread that saw no other finish notes its own end at its last
         * chunk, through the same call: so every thread notes once per
         * section, in the warm-up as in the timed ops, and none runs the
         * note's code for the first time inside its timed section (under a
         * JIT it would be translated there). */
        if (!me->wseen && (ld32(&bench_finished.v) == (timed ? 2u : 1u) || to == n)) bench_note_window(me, to);
    }
    return sum;
}

/* Every thread past the gate: set our word, wait for the others'.  Each
 * turn yields: a loop that spun without a syscall for a few milliseconds
 * would become a compiled region under mttcg, and its JIT compilation would
 * fall into the timed section. */
static void bench_start_barrier(int self)
{
    st32(&bench_arrived[self].v, 1);
    for (int j = 0; j < bench_threads; j++)
        while (!ld32(&bench_arrived[j].v)) sched_yield();
    bench_dmb();
}

/* One thread's section between its clock reads: the timed ops (timed = 1)
 * or, through this same code, the warm-up (timed = 0; its figures are
 * overwritten).  Not inlined, so that the warm-up and the timed section run
 * the same guest instructions from the first clock read to the last: under
 * a JIT the first new code after the clock read (the return from
 * clock_gettime into the chunk loop) would otherwise be translated, and its
 * translator functions compiled, inside the timed section. */
static BENCH_HOT uint64_t bench_section(struct bench_thread *me, uint64_t n, uint64_t done_before, int timed)
{
    int64_t cpu0 = bench_cpu_ns();
    uint64_t start = bench_now_ns();
    uint64_t sum = bench_chunks(me, n, done_before, timed);
    uint64_t end = bench_now_ns();
    bench_finish(me, n, timed, start, end, cpu0);
    return sum;
}

static void *bench_thread_main(void *arg)
{
    struct bench_thread *me = arg;
    bench_await(&bench_warm);
    bench_section(me, bench_warmup, 0, 0);
    me->fails = 0;
    me->chunks = me->concurrent = 0;
    me->wseen = 0;
    bench_signal(&me->ready);
    bench_await(&bench_go);
    bench_start_barrier(me->index);
    me->result = bench_section(me, bench_ops, bench_warmup, 1);
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
static inline uint64_t bench_run(uint64_t (*body)(int self, uint64_t from, uint64_t to, int timed), uint64_t *sum)
{
    bench_body = body;
    for (int i = 0; i < bench_threads; i++) {
        bench_t[i].index = i;
        if (pthread_create(&bench_t[i].tid, NULL, bench_thread_main, &bench_t[i])) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2);
        }
    }
    bench_signal(&bench_warm);
    for (int i = 0; i < bench_threads; i++) bench_await(&bench_t[i].ready);
    bench_signal(&bench_go);
    uint64_t first = UINT64_MAX, last = 0, wlast = 0, s = 0;
    for (int i = 0; i < bench_threads; i++) {
        pthread_join(bench_t[i].tid, NULL);
        if (bench_t[i].start_ns < first) first = bench_t[i].start_ns;
        if (bench_t[i].end_ns > last) last = bench_t[i].end_ns;
        if (bench_t[i].wend_ns > wlast) wlast = bench_t[i].wend_ns;
        s += bench_t[i].result;
    }
    *sum = s;
    bench_first_start = first;
    bench_window_ns = wlast - first;
    return last - first;
}

/* Prints the BENCH line; returns the exit status (0 pass, 1 fail). */
static inline int bench_report(const char *name, uint64_t ns, uint64_t checksum, int pass)
{
    uint64_t fails = 0, chunks = 0, concurrent = 0;
    printf("BENCH workload=%s threads=%d ops=%llu ns=%llu checksum=%016llx check=%s warmup=%llu cpu=", name, bench_threads,
           (unsigned long long)bench_ops * (unsigned long long)bench_threads, (unsigned long long)ns,
           (unsigned long long)checksum, pass ? "pass" : "fail",
           (unsigned long long)bench_warmup * (unsigned long long)bench_threads);
    for (int i = 0; i < bench_threads; i++) {
        if (bench_t[i].cpu_ns < 0) printf("%s-", i ? ":" : "");
        else printf("%s%lld", i ? ":" : "", (long long)bench_t[i].cpu_ns);
    }
    printf(" wall=");
    for (int i = 0; i < bench_threads; i++) {
        printf("%s%llu", i ? ":" : "", (unsigned long long)(bench_t[i].end_ns - bench_t[i].start_ns));
        fails += bench_t[i].fails;
        chunks += bench_t[i].chunks;
        concurrent += bench_t[i].concurrent;
    }
    printf(" chunks=%llu concurrent=%llu", (unsigned long long)chunks, (unsigned long long)concurrent);
    if (bench_fails_measured) printf(" fails=%llu", (unsigned long long)fails);
    printf(" start=%llu", (unsigned long long)bench_first_start);
    uint64_t wops = 0;
    for (int i = 0; i < bench_threads; i++) wops += bench_t[i].wops;
    printf(" window=%llu wops=%llu wsplit=", (unsigned long long)bench_window_ns, (unsigned long long)wops);
    for (int i = 0; i < bench_threads; i++) printf("%s%llu", i ? ":" : "", (unsigned long long)bench_t[i].wops);
    printf(" wcpu=");
    for (int i = 0; i < bench_threads; i++) {
        const struct bench_thread *t = &bench_t[i];
        if (t->cpu_at0 < 0 || t->wcpu_at < 0) printf("%s-", i ? ":" : "");
        else printf("%s%lld", i ? ":" : "", (long long)(t->wcpu_at - t->cpu_at0));
    }
    printf(" wwall=");
    for (int i = 0; i < bench_threads; i++)
        printf("%s%llu", i ? ":" : "", (unsigned long long)(bench_t[i].wend_ns - bench_t[i].start_ns));
    printf("\n");
    fflush(stdout);
    return pass ? 0 : 1;
}

#endif
