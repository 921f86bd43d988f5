/* false-sharing: a LDREX/STREX spinlock and hot non-atomic data, on one
 * guest page or on separate pages (the page-granular cost of a TLB_EXCL
 * design: every store to a page holding a reservation takes the slow path).
 *
 * usage: false-sharing [same|split|private] [threads] [ops-per-thread] [hot-stores]
 *
 * Each op takes the lock (test-and-test-and-set: LDREX, STREX if free; a
 * waiter spins on plain loads and yields every 64 spins), increments a
 * counter kept beside the lock, releases it (DMB; STR 0), then makes
 * `hot-stores` plain stores to the thread's own 64-byte line of hot data.
 * Layout "same": the hot lines share the lock's 4 KiB page. Layout "split":
 * they lie on the next page. Layout "private": every thread has a lock, a
 * counter and its hot line on a page of its own (nothing is shared, so only
 * the emulator's own locking can make threads wait). The parallel section is
 * timed (CLOCK_MONOTONIC) and reported as
 *   BENCH workload=false-sharing layout=L threads=T ops=N ns=E checksum=C
 * where ops counts lock acquisitions and the checksum covers the counter and
 * every hot word; a lost update shows as status=fail and exit 1.          */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 4096
#define MAXT 16
#define HOT_WORDS 16 /* one 64-byte line per thread */

/* Page 0: lock word, counter, and (layout same) the hot lines. Page 1: the
 * hot lines of layout split. */
static struct {
    volatile uint32_t lock;
    volatile uint32_t counter;
    uint32_t pad0[14];
    volatile uint32_t hot_same[MAXT][HOT_WORDS];
    char pad1[PAGE - 64 - MAXT * HOT_WORDS * 4];
    volatile uint32_t hot_split[MAXT][HOT_WORDS];
} arena __attribute__((aligned(PAGE)));

/* Layout private: one page per thread. */
static struct {
    volatile uint32_t lock;
    volatile uint32_t counter;
    uint32_t pad0[14];
    volatile uint32_t hot[HOT_WORDS];
    char pad1[PAGE - 128];
} priv[MAXT] __attribute__((aligned(PAGE)));

static int threads = 2, private_layout;
static unsigned ops = 20000, hot_stores = 16;
static volatile uint32_t (*hot)[HOT_WORDS];
static pthread_barrier_t start;

static inline void dmb(void) { __asm__ volatile("dmb ish" ::: "memory"); }

/* One LDREX; STREX if the lock is free. 0 = acquired. */
static inline uint32_t try_lock(volatile uint32_t *l)
{
    uint32_t old, status;
    __asm__ volatile(
        "ldrex   %0, [%2]\n\t"
        "cmp     %0, #0\n\t"
        "bne     1f\n\t"
        "strex   %1, %3, [%2]\n\t"
        "b       2f\n"
        "1:\tclrex\n\t"
        "mov     %1, #1\n"
        "2:\n\t"
        : "=&r"(old), "=&r"(status)
        : "r"(l), "r"(1)
        : "cc", "memory");
    return status;
}

static void lock(volatile uint32_t *l)
{
    unsigned spins = 0;
    while (try_lock(l) != 0) {
        while (*l != 0)
            if (++spins % 64 == 0) sched_yield();
    }
    dmb();
}

static void unlock(volatile uint32_t *l)
{
    dmb();
    *l = 0;
}

static void *run(void *arg)
{
    int me = (int)(intptr_t)arg;
    volatile uint32_t *line = private_layout ? priv[me].hot : hot[me];
    volatile uint32_t *l = private_layout ? &priv[me].lock : &arena.lock;
    volatile uint32_t *counter = private_layout ? &priv[me].counter : &arena.counter;
    pthread_barrier_wait(&start);
    for (unsigned i = 0; i < ops; i++) {
        lock(l);
        (*counter)++;
        unlock(l);
        for (unsigned j = 0; j < hot_stores; j++) line[j % HOT_WORDS] += i ^ j;
    }
    return NULL;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    const char *layout = argc > 1 ? argv[1] : "same";
    if (argc > 2) threads = atoi(argv[2]);
    if (argc > 3) ops = (unsigned)atoi(argv[3]);
    if (argc > 4) hot_stores = (unsigned)atoi(argv[4]);
    if (strcmp(layout, "same") && strcmp(layout, "split") && strcmp(layout, "private")) {
        fprintf(stderr, "layout must be same, split or private\n");
        return 2;
    }
    if (threads < 1 || threads > MAXT) { fprintf(stderr, "threads must be 1..%d\n", MAXT); return 2; }
    private_layout = strcmp(layout, "private") == 0;
    hot = strcmp(layout, "same") == 0 ? arena.hot_same : arena.hot_split;

    pthread_t t[MAXT];
    pthread_barrier_init(&start, NULL, threads + 1);
    for (int i = 0; i < threads; i++)
        if (pthread_create(&t[i], NULL, run, (void *)(intptr_t)i)) { fprintf(stderr, "pthread_create failed\n"); return 2; }
    uint64_t t0 = now_ns();
    pthread_barrier_wait(&start);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    uint64_t t1 = now_ns();

    /* What every hot word must hold: thread-independent, so compute it once. */
    uint32_t want[HOT_WORDS] = {0};
    for (unsigned i = 0; i < ops; i++)
        for (unsigned j = 0; j < hot_stores; j++) want[j % HOT_WORDS] += i ^ j;
    uint32_t total = arena.counter;
    int bad = 0;
    if (private_layout) {
        for (int i = 0; i < threads; i++) {
            bad |= priv[i].counter != ops;
            total += priv[i].counter;
        }
    }
    bad |= total != (uint32_t)threads * ops;
    uint32_t sum = total;
    for (int i = 0; i < threads; i++)
        for (int k = 0; k < HOT_WORDS; k++) {
            uint32_t v = private_layout ? priv[i].hot[k] : hot[i][k];
            bad |= v != want[k];
            sum = sum * 31 + v;
        }
    printf("BENCH workload=false-sharing layout=%s threads=%d ops=%llu ns=%llu checksum=%08x status=%s\n",
           layout, threads, (unsigned long long)ops * threads, (unsigned long long)(t1 - t0), sum,
           bad ? "fail" : "pass");
    return bad ? 1 : 0;
}
