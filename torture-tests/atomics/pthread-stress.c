/* pthread-stress: glibc pthread_mutex + pthread_cond under contention.
 * T threads: P = T/2 producers (at least 1) and C = T - P consumers (at
 * least 1; threads=1 runs as 2).  A bounded FIFO queue of 8 slots is
 * protected by one mutex with two condition variables (not_full,
 * not_empty).  Producer p pushes N items p*N+1 .. p*N+N in order; consumers
 * pop until P*N items have been taken in total.  Checks: the number of
 * items consumed and their sum are exact, and each consumer sees the items
 * of every producer in increasing order (FIFO).  Waits are
 * pthread_cond_timedwait with 200 ms (CLOCK_MONOTONIC) so a lost wake-up
 * cannot hang the program: 20 consecutive timeouts without progress (~4 s)
 * make the thread give up.  Timeouts are reported (a lost wake-up shows
 * there) but do not by themselves fail the case.
 * Debian armel glibc (built for ARMv5) implements its mutexes and condvars
 * with the kernel's __kuser_cmpxchg helper at 0xffff0fc0 and futex.
 * pass iff consumed == P*N, sum exact, no order violation, no give-up.
 * argv: [threads, default 4] [items per producer, default 10000] */
#include "torture.h"
#include <time.h>
#include <errno.h>

#define CAP 8u
#define STALL_LIMIT 20

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full, not_empty;
static u32 queue[CAP];
static u32 qhead, qtail;              /* counters; slot = counter % CAP */
static u32 taken, total_items;
static int nprod, ncons;

static u64 csum[MAXT];
static u32 ccount[MAXT], order_bad[MAXT], timeouts[MAXT], gave_up[MAXT];

static int timed_wait(pthread_cond_t *c, int self, int *stall)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += 200 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    int r = pthread_cond_timedwait(c, &mtx, &ts);
    if (r == ETIMEDOUT) {
        timeouts[self]++;
        if (++*stall >= STALL_LIMIT) { gave_up[self]++; return -1; }
    }
    return 0;
}

static void *producer(int self)
{
    int p = self;                       /* producers are threads 0..P-1 */
    int stall = 0;
    for (u32 i = 1; i <= (u32)g_iters; i++) {
        u32 item = (u32)p * (u32)g_iters + i;
        pthread_mutex_lock(&mtx);
        while (qtail - qhead >= CAP) {
            if (timed_wait(&not_full, self, &stall)) { pthread_mutex_unlock(&mtx); return NULL; }
        }
        queue[qtail % CAP] = item;
        qtail++;
        stall = 0;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&mtx);
    }
    return NULL;
}

static void *consumer(int self)
{
    u32 last[MAXT];
    memset(last, 0, sizeof last);
    int stall = 0;
    for (;;) {
        pthread_mutex_lock(&mtx);
        while (qtail == qhead && taken < total_items) {
            if (timed_wait(&not_empty, self, &stall)) { pthread_mutex_unlock(&mtx); return NULL; }
        }
        if (taken >= total_items) {
            pthread_mutex_unlock(&mtx);
            break;
        }
        u32 item = queue[qhead % CAP];
        qhead++;
        taken++;
        stall = 0;
        if (taken == total_items) pthread_cond_broadcast(&not_empty);
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&mtx);

        ccount[self]++;
        csum[self] += item;
        u32 p = (item - 1) / (u32)g_iters;
        if (item == 0 || p >= (u32)nprod || item <= last[p]) order_bad[self]++;
        else last[p] = item;
    }
    return NULL;
}

static void *worker(void *arg)
{
    int self = *(int *)arg;
    return self < nprod ? producer(self) : consumer(self);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 4, 10000);
    if (g_threads < 2) g_threads = 2;
    nprod = g_threads / 2;
    ncons = g_threads - nprod;
    total_items = (u32)nprod * (u32)g_iters;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_cond_init(&not_full, &ca) || pthread_cond_init(&not_empty, &ca)) {
        fprintf(stderr, "pthread_cond_init failed\n");
        return 2;
    }
    run_threads(g_threads, worker);

    u64 sum = 0, n = (u64)total_items;
    u32 count = 0, ob = 0, to = 0, gu = 0;
    for (int i = 0; i < g_threads; i++) {
        sum += csum[i]; count += ccount[i]; ob += order_bad[i]; to += timeouts[i]; gu += gave_up[i];
    }
    u64 expect_sum = n * (n + 1) / 2;   /* items are exactly 1 .. P*N */
    char obs[300];
    snprintf(obs, sizeof obs,
             "consumed=%u,expected_count=%u,sum=%llu,expected_sum=%llu,order_bad=%u,producers=%d,consumers=%d,timeouts=%u,gave_up=%u",
             count, total_items, (unsigned long long)sum, (unsigned long long)expect_sum, ob, nprod, ncons, to, gu);
    result("pthread-stress", count == total_items && sum == expect_sum && ob == 0 && gu == 0, obs);
    return 0;
}
