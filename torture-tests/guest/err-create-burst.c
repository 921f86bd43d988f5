/* err-create-burst: pthread_create in a burst. 64 threads are created
 * back to back, each computing a little and then waiting for a go signal,
 * so that many creations are in flight at once; then all are joined.
 * Prints the sum of their results; argv[1] repeats the burst.  The robustness tests run it with a
 * crashing vCPU worker and with a short --timeout: the run must end at
 * once either way, never hang on a worker started while it was ending. */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define N 64
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static int go;

static void *work(void *arg)
{
    uint32_t v = (uint32_t)(uintptr_t)arg, s = 0;
    for (uint32_t i = 0; i < 20000; i++) s += (i * v) ^ (i >> 3);
    pthread_mutex_lock(&mtx);
    while (!go) pthread_cond_wait(&go_cv, &mtx);
    pthread_mutex_unlock(&mtx);
    return (void *)(uintptr_t)s;
}

static uint32_t burst(void)
{
    pthread_t t[N];
    go = 0;
    for (int i = 0; i < N; i++) {
        if (pthread_create(&t[i], NULL, work, (void *)(uintptr_t)(i + 1))) { printf("create %d failed\n", i); return 0; }
    }
    pthread_mutex_lock(&mtx);
    go = 1;
    pthread_cond_broadcast(&go_cv);
    pthread_mutex_unlock(&mtx);
    uint32_t total = 0;
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (uint32_t)(uintptr_t)r;
    }
    return total;
}

/* argv[1]: how many bursts (default 1). */
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    for (int r = 0; r < rounds; r++) printf("burst %d: threads %d total %08x\n", r, N, burst());
    return 0;
}
