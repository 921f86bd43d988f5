/* sched-time: what a run may print that depends on time or on the host's
 * thread scheduling. Four threads each read the clocks, draw getrandom bytes,
 * sleep, time out on a condition variable and a futex, and append their id to
 * a shared log under a mutex in the order they get it. Under `mttcg run
 * --sched seed:N` (docs/scheduler.md) all of it is a function of the seed:
 * two runs of one seed print the same text. Without --sched the clock values
 * and usually the order differ from run to run. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 3

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static int order[THREADS * ROUNDS];
static int norder;
static char lines[THREADS][256];
static volatile int futex_word;

static long long ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    unsigned char rnd[4];
    long long t0 = ns(CLOCK_MONOTONIC);
    getrandom(rnd, sizeof rnd, 0);
    struct timespec nap = {0, 1000000 * (id + 1)};
    nanosleep(&nap, NULL);
    long long slept = ns(CLOCK_MONOTONIC) - t0;
    pthread_mutex_lock(&lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 500000;
    if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
    int cond_rc = pthread_cond_timedwait(&never, &lock, &until);
    pthread_mutex_unlock(&lock);
    struct timespec rel = {0, 200000};
    long futex_rc = syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, &rel, NULL, 0);
    for (int r = 0; r < ROUNDS; r++) {
        pthread_mutex_lock(&lock);
        order[norder++] = id;
        pthread_mutex_unlock(&lock);
        sched_yield();
    }
    snprintf(lines[id], sizeof lines[id],
             "thread %d: t0=%lld slept=%lld random=%02x%02x%02x%02x cond_timedwait=%d futex_timeout=%ld real=%lld\n",
             id, t0, slept, rnd[0], rnd[1], rnd[2], rnd[3], cond_rc, futex_rc, ns(CLOCK_REALTIME));
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++) fputs(lines[i], stdout);
    printf("order:");
    for (int i = 0; i < norder; i++) printf(" %d", order[i]);
    printf("\nmain: real=%lld monotonic=%lld\n", ns(CLOCK_REALTIME), ns(CLOCK_MONOTONIC));
    return 0;
}
