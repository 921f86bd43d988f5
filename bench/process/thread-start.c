/* thread-start: pthread_create to the new thread's first instruction.
 * N times, one after another: read CLOCK_MONOTONIC, pthread_create, and the
 * new thread reads CLOCK_MONOTONIC as the first thing its start routine
 * does; then join.  Under mttcg the first creations start vCPU workers and
 * translate the thread start-up path; later ones show the warm pool.
 * Output: one line per creation, "start i=I us=MICROSECONDS", then
 *   BENCH workload=thread-start creations=N
 * Usage: thread-start [N]   (default 40) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *first(void *arg)
{
    *(long long *)arg = now_ns();
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 40;
    for (int i = 0; i < n; i++) {
        long long started = 0, t0 = now_ns();
        pthread_t t;
        if (pthread_create(&t, NULL, first, &started)) { printf("pthread_create failed\n"); return 1; }
        pthread_join(t, NULL);
        printf("start i=%d us=%lld\n", i, (started - t0) / 1000);
    }
    printf("BENCH workload=thread-start creations=%d\n", n);
    return 0;
}
