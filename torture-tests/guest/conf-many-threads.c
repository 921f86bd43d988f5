/* conf-many-threads: N threads with glibc's default 8 MiB stacks, all alive
 * at once (they wait at a barrier), then joined (mttcg-lab, issue 13 item 4:
 * 160 x 8 MiB of stacks is 1.25 GiB of address space, more than the old
 * 1 GiB mmap area held, and far more than a small --memory, which limits
 * only the frames threads touch).  Each thread touches one page of its
 * stack.  Prints "threads=N sum=S"; exit 0.
 * argv: [threads, default 160] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_barrier_t barrier;

static void *thread_main(void *arg)
{
    volatile char page[4096];
    page[0] = (char)(long)arg;
    pthread_barrier_wait(&barrier);
    return (void *)(long)(page[0] + 1);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 160;
    pthread_t *th = malloc(sizeof *th * (size_t)n);
    if (!th || n < 1) return 2;
    pthread_barrier_init(&barrier, 0, (unsigned)n);
    for (int i = 0; i < n; i++) {
        int e = pthread_create(&th[i], 0, thread_main, (void *)(long)(i & 63));
        if (e) { printf("pthread_create %d failed: error %d\n", i, e); return 1; }
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
        void *r;
        pthread_join(th[i], &r);
        sum += (long)r;
    }
    printf("threads=%d sum=%ld\n", n, sum);
    return 0;
}
