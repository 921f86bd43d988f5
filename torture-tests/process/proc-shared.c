/* proc-shared: atomics and a process-shared mutex in MAP_SHARED memory.
 * Two child processes (plus the parent) contend on a MAP_SHARED anonymous
 * page: an LDREX/STREX counter, a kuser cmpxchg counter (__sync builtins on
 * armv7 are LDREX/STREX too; the kuser helper is called directly), and a
 * plain counter under a PTHREAD_PROCESS_SHARED mutex (futexes without
 * FUTEX_PRIVATE_FLAG). Every update must count. Exit 0 if all totals are
 * exact. Usage: proc-shared [iterations per process] (default 20000) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    volatile int ldrex_counter;
    volatile int kuser_counter;
    int mutex_counter;
    pthread_mutex_t lock;
};

typedef int (*kuser_cmpxchg_t)(int oldval, int newval, volatile int *ptr);
#define kuser_cmpxchg (*(kuser_cmpxchg_t)0xffff0fc0)

static void ldrex_add(volatile int *p)
{
    int tmp, fail;
    __asm__ volatile(
        "1: ldrex %0, [%2]\n"
        "   add %0, %0, #1\n"
        "   strex %1, %0, [%2]\n"
        "   cmp %1, #0\n"
        "   bne 1b\n"
        : "=&r"(tmp), "=&r"(fail) : "r"(p) : "cc", "memory");
}

static void work(struct shared *s, int n)
{
    for (int i = 0; i < n; i++) {
        ldrex_add(&s->ldrex_counter);
        int old;
        do { old = s->kuser_counter; } while (kuser_cmpxchg(old, old + 1, &s->kuser_counter) != 0);
        pthread_mutex_lock(&s->lock);
        s->mutex_counter++;
        pthread_mutex_unlock(&s->lock);
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) { printf("mmap failed\n"); return 1; }
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->lock, &a);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) { work(s, n); _exit(0); }
    }
    work(s, n);
    for (int k = 0; k < 2; k++) waitpid(kids[k], NULL, 0);
    int want = 3 * n;
    printf("ldrex/strex %d, kuser cmpxchg %d, process-shared mutex %d (each should be %d)\n",
           s->ldrex_counter, s->kuser_counter, s->mutex_counter, want);
    return s->ldrex_counter == want && s->kuser_counter == want && s->mutex_counter == want ? 0 : 1;
}
