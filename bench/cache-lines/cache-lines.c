/* The cache-lines microbench's native reference (bench/cache-lines/native.ts
 * builds it at run time with the host's cc): the same three host operation
 * sequences as sequences.ts, on the same layout (layout.ts), with pthreads
 * and GCC's __atomic builtins for the JavaScript Atomics calls (sequentially
 * consistent: Atomics.load a plain load on x86-64, compareExchange a lock
 * cmpxchg, add a lock xadd, exchange an xchg) and volatile accesses for the
 * plain reads and writes.
 *
 *   cache-lines SEQUENCE PLACE THREADS MODE OPS WARMUP
 *     SEQUENCE cmpxchg | tlbexcl | tlbexcl-left | aie; PLACE own | same; MODE free | alternate
 * prints one line per thread: ops fails waits cpu_ns wall_ns start_ns end_ns
 * (thread CPU from CLOCK_THREAD_CPUTIME_ID, read after the start gate). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE 16
/* tlbexcl's version word (src/llsc-tlbexcl/version-word.ts) and mark (exclusive-state.ts) */
#define SEQ 0x1
#define SEQS 0x1fffff
#define COMMIT 0x200000
#define WRITERS 0x7fc00000
#define READY_MARK 3
/* aie's chunk lock word (src/aie/entry-lock.ts) and its inline tries (inline-exclusives.ts) */
#define LOCK_HELD 1
#define LOCK_BITS 3
#define VERSION_STEP 4
#define INLINE_LOCK_TRIES 32

#define LD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define XCHG(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

struct layout { int lock, count, sum_lo, sum_hi, meta, mark, wraps, gate, done, words; };

static struct layout layout_for(int same)
{
    struct layout l;
    l.lock = LINE; l.count = l.lock + 1; l.sum_lo = l.lock + 2; l.sum_hi = l.lock + 3;
    l.meta = same ? l.lock + 8 : 8 * LINE;
    l.mark = 16 * LINE; l.wraps = 24 * LINE; l.gate = 32 * LINE; l.done = 40 * LINE; l.words = 48 * LINE;
    return l;
}

struct result { uint64_t ops, fails, waits; };

/* who a thread is, and whether it waits for its turn (the count's parity) before each acquisition */
struct turn { int self, threads, alternate; };

static int await_turn(volatile int32_t *m, const struct layout *l, const struct turn *t)
{
    if (!t->alternate) return 1;
    while ((uint32_t)m[l->count] % (uint32_t)t->threads != (uint32_t)t->self)
        if (m[l->done] != 0) return 0;
    return 1;
}

static int32_t cas(volatile int32_t *p, int32_t expected, int32_t desired)
{
    __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected; /* the value found, as Atomics.compareExchange returns */
}

static void critical_section(volatile int32_t *m, volatile int32_t *fence, const struct layout *l, uint64_t i)
{
    m[l->count] = m[l->count] + 1;
    uint64_t s = ((uint64_t)(uint32_t)m[l->sum_hi] << 32 | (uint32_t)m[l->sum_lo]) + i;
    m[l->sum_lo] = (int32_t)(uint32_t)s;
    m[l->sum_hi] = (int32_t)(uint32_t)(s >> 32);
    ADD(fence, 1);
    m[l->lock] = 0;
}

static void spin_while_taken(volatile int32_t *m, int lock)
{
    uint32_t spins = 0;
    while (m[lock] != 0) spins++;
    (void)spins;
}

static struct result seq_cmpxchg(volatile int32_t *m, volatile int32_t *fence, const struct layout *l, uint64_t ops, const struct turn *t)
{
    struct result r = {0, 0, 0};
    uint64_t i = 0;
    for (; i < ops; i++) {
        if (((i & 255) == 255 && m[l->done] != 0) || !await_turn(m, l, t)) break;
        for (;;) {
            int32_t v = LD(&m[l->lock]);
            if (v == 0 && cas(&m[l->lock], v, 1) == v) break;
            r.fails++;
            spin_while_taken(m, l->lock);
        }
        ADD(fence, 1);
        critical_section(m, fence, l, i);
    }
    r.ops = i;
    return r;
}

/* The commit's withdrawal; returns the word its add left (with the carry's COMMIT if it wrapped). */
static int32_t withdraw(volatile int32_t *m, const struct layout *l)
{
    int32_t after = ADD(&m[l->meta], SEQ - COMMIT) + SEQ - COMMIT;
    if ((after & SEQS) == 0) {
        ADD(&m[l->wraps], 1);
        __atomic_fetch_sub(&m[l->meta], COMMIT, __ATOMIC_SEQ_CST);
    }
    return after;
}

/* keep_left: the LDREX after the thread's own commit keeps the word its withdrawal left (tlbexcl-left, sequences.ts). */
static struct result tlbexcl_loop(volatile int32_t *m, volatile int32_t *fence, const struct layout *l, uint64_t ops, const struct turn *t, int keep_left)
{
    struct result r = {0, 0, 0};
    uint64_t i = 0;
    int32_t left = -1, left_wraps = 0;
    for (; i < ops; i++) {
        if (((i & 255) == 255 && m[l->done] != 0) || !await_turn(m, l, t)) break;
        for (;;) {
            if ((m[l->mark] & READY_MARK) != READY_MARK) abort();
            int kept = left != -1 && (left & (WRITERS | COMMIT)) == 0;
            int32_t seen = kept ? left_wraps : m[l->wraps];
            int32_t w = kept ? left : LD(&m[l->meta]);
            left = -1;
            if (w & (WRITERS | COMMIT)) {
                r.waits++;
                while (w & (WRITERS | COMMIT)) { seen = m[l->wraps]; w = LD(&m[l->meta]); }
            }
            if (!kept && (LD(&m[l->mark]) & READY_MARK) != READY_MARK) abort();
            int32_t v = m[l->lock];
            if (v == 0) {
                if (cas(&m[l->meta], w, w + COMMIT) == w) {
                    if (m[l->wraps] == seen) { m[l->lock] = 1; break; }
                    withdraw(m, l);
                }
            }
            r.fails++;
            spin_while_taken(m, l->lock);
        }
        ADD(fence, 1);
        critical_section(m, fence, l, i);
        if (keep_left) left_wraps = m[l->wraps];
        int32_t after = withdraw(m, l);
        if (keep_left) left = after;
    }
    r.ops = i;
    return r;
}

static struct result seq_tlbexcl(volatile int32_t *m, volatile int32_t *fence, const struct layout *l, uint64_t ops, const struct turn *t)
{
    return tlbexcl_loop(m, fence, l, ops, t, 0);
}

static struct result seq_tlbexcl_left(volatile int32_t *m, volatile int32_t *fence, const struct layout *l, uint64_t ops, const struct turn *t)
{
    return tlbexcl_loop(m, fence, l, ops, t, 1);
}

static struct result seq_aie(volatile int32_t *m, volatile int32_t *fence, const struct layout *l, uint64_t ops, const struct turn *t)
{
    struct result r = {0, 0, 0};
    uint64_t i = 0;
    for (; i < ops; i++) {
        if (((i & 255) == 255 && m[l->done] != 0) || !await_turn(m, l, t)) break;
        int32_t version = 0;
        for (;;) {
            int32_t v0 = LD(&m[l->meta]);
            if (v0 & LOCK_BITS) {
                r.waits++;
                while (v0 & LOCK_BITS) v0 = LD(&m[l->meta]);
            }
            int32_t v = m[l->lock];
            if (v == 0) {
                int32_t got;
                int tries = INLINE_LOCK_TRIES - 1;
                do { got = cas(&m[l->meta], v0, v0 | LOCK_HELD); tries--; } while (got == (v0 | LOCK_HELD) && tries >= 0);
                if (got == v0) { m[l->lock] = 1; version = v0; break; }
            }
            r.fails++;
            spin_while_taken(m, l->lock);
        }
        ADD(fence, 1);
        critical_section(m, fence, l, i);
        XCHG(&m[l->meta], version + VERSION_STEP);
    }
    r.ops = i;
    return r;
}

typedef struct result (*sequence_fn)(volatile int32_t *, volatile int32_t *, const struct layout *, uint64_t, const struct turn *);

struct thread_arg {
    sequence_fn fn;
    volatile int32_t *m, *warm;
    const struct layout *l;
    struct turn turn;
    int threads;
    uint64_t ops, warmup;
    struct result r;
    uint64_t cpu_ns, wall_ns, start_ns, end_ns;
};

static uint64_t clock_ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void init_words(volatile int32_t *m, const struct layout *l)
{
    for (int i = 0; i < l->words; i++) m[i] = 0;
    m[l->mark] = READY_MARK;
}

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    int32_t fence[16] __attribute__((aligned(64))) = {0};
    ADD(&a->warm[a->l->gate], 1);
    while (LD(&a->warm[a->l->gate]) < a->threads) {}
    a->fn(a->warm, fence, a->l, a->warmup, &a->turn);
    ADD(&a->m[a->l->gate], 1);
    while (LD(&a->m[a->l->gate]) < a->threads) {}
    uint64_t cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID), start = clock_ns(CLOCK_MONOTONIC);
    a->r = a->fn(a->m, fence, a->l, a->ops, &a->turn);
    uint64_t end = clock_ns(CLOCK_MONOTONIC);
    __atomic_store_n(&a->m[a->l->done], 1, __ATOMIC_SEQ_CST);
    a->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    a->wall_ns = end - start;
    a->start_ns = start;
    a->end_ns = end;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: cache-lines cmpxchg|tlbexcl|tlbexcl-left|aie own|same THREADS free|alternate OPS WARMUP\n");
        return 2;
    }
    sequence_fn fn = !strcmp(argv[1], "cmpxchg") ? seq_cmpxchg : !strcmp(argv[1], "tlbexcl") ? seq_tlbexcl
        : !strcmp(argv[1], "tlbexcl-left") ? seq_tlbexcl_left : !strcmp(argv[1], "aie") ? seq_aie : NULL;
    int same = !strcmp(argv[2], "same");
    int threads = atoi(argv[3]);
    int alternate = !strcmp(argv[4], "alternate");
    if (!fn || (!same && strcmp(argv[2], "own")) || threads < 1 || threads > 64 || (!alternate && strcmp(argv[4], "free"))) {
        fprintf(stderr, "cache-lines: bad arguments\n");
        return 2;
    }
    struct layout l = layout_for(same);
    volatile int32_t *m = aligned_alloc(64, (size_t)l.words * 4), *warm = aligned_alloc(64, (size_t)l.words * 4);
    struct thread_arg *args = calloc((size_t)threads, sizeof *args);
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    if (!m || !warm || !args || !ids) return 1;
    init_words(m, &l);
    init_words(warm, &l);
    for (int t = 0; t < threads; t++) {
        args[t] = (struct thread_arg){ fn, m, warm, &l, { t, threads, alternate }, threads, strtoull(argv[5], NULL, 10),
                                     strtoull(argv[6], NULL, 10), {0, 0, 0}, 0, 0, 0, 0 };
        if (pthread_create(&ids[t], NULL, thread_main, &args[t])) { perror("pthread_create"); return 1; }
    }
    uint64_t total = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        total += args[t].r.ops;
    }
    if ((uint32_t)m[l.count] != (uint32_t)total || m[l.lock] != 0) {
        fprintf(stderr, "cache-lines: count %u, expected %llu (lock word %d): mutual exclusion broken\n",
                (uint32_t)m[l.count], (unsigned long long)total, m[l.lock]);
        return 1;
    }
    for (int t = 0; t < threads; t++) {
        struct thread_arg *a = &args[t];
        printf("%llu %llu %llu %llu %llu %llu %llu\n", (unsigned long long)a->r.ops, (unsigned long long)a->r.fails,
               (unsigned long long)a->r.waits, (unsigned long long)a->cpu_ns, (unsigned long long)a->wall_ns,
               (unsigned long long)a->start_ns, (unsigned long long)a->end_ns);
    }
    return 0;
}
