/* err-deadlock: two threads each hold one mutex and wait for the other's.
 * Every thread ends up in an untimed futex wait: a guest deadlock, which
 * mttcg must report (after its grace period) instead of hanging. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_locked;

static void *other(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both_locked);
    pthread_mutex_lock(&a);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&both_locked, NULL, 2);
    printf("locking in opposite orders\n");
    fflush(stdout);
    pthread_create(&t, NULL, other, NULL);
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both_locked);
    pthread_mutex_lock(&b);
    pthread_join(t, NULL);
    printf("unreachable\n");
    return 0;
}
