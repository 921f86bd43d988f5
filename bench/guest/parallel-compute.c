/* parallel-compute: a non-atomic, embarrassingly parallel workload.
 * usage: parallel-compute [threads] [work-units-per-thread]
 * Each thread runs a private integer kernel (xorshift, table lookups, a small
 * insertion sort, hashing) on its own cache lines; nothing is shared but the
 * start barrier. The guest times the parallel section itself (CLOCK_MONOTONIC)
 * and prints one machine-readable line:
 *   BENCH workload=parallel-compute threads=T ops=N ns=E checksum=C        */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAXT 64
struct worker {
    pthread_t t;
    unsigned units;
    uint32_t result;
    uint32_t pad[14];
} __attribute__((aligned(64)));

static struct worker w[MAXT];
static pthread_barrier_t start;

static uint32_t unit(uint32_t seed)
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

static void *run(void *arg)
{
    struct worker *me = arg;
    uint32_t acc = (uint32_t)(me - w) * 0x9e3779b9u;
    pthread_barrier_wait(&start);
    for (unsigned i = 0; i < me->units; i++) acc += unit(acc + i);
    me->result = acc;
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
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    unsigned units = argc > 2 ? (unsigned)atoi(argv[2]) : 20000;
    if (threads < 1 || threads > MAXT) { fprintf(stderr, "threads must be 1..%d\n", MAXT); return 2; }
    pthread_barrier_init(&start, NULL, threads + 1);
    for (int i = 0; i < threads; i++) {
        w[i].units = units;
        pthread_create(&w[i].t, NULL, run, &w[i]);
    }
    uint64_t t0 = now_ns();
    pthread_barrier_wait(&start);
    uint32_t sum = 0;
    for (int i = 0; i < threads; i++) { pthread_join(w[i].t, NULL); sum ^= w[i].result; }
    uint64_t t1 = now_ns();
    printf("BENCH workload=parallel-compute threads=%d ops=%llu ns=%llu checksum=%08x\n",
           threads, (unsigned long long)units * threads, (unsigned long long)(t1 - t0), sum);
    return 0;
}
