/* pthread-mutex: one glibc pthread mutex shared by all threads, with the
 * same short critical section as spinlock.c.
 * usage: pthread-mutex threads ops-per-thread
 * A default (normal) mutex: an uncontended lock is one atomic
 * compare-and-swap and the unlock one atomic exchange; contended, the
 * waiters sleep in futex(FUTEX_WAIT) and the unlocker calls FUTEX_WAKE.
 * Debian's armel glibc does its atomics through the kernel's user helper
 * __kuser_cmpxchg (0xffff0fc0), so under mttcg this workload measures the
 * strategy's cmpxchg path plus futex syscalls; natively it is glibc's
 * x86-64 mutex (`lock cmpxchg`).
 * One op = lock, update, unlock (glibc's retries are not visible here, so
 * the BENCH line has no fails=).  Check: the protected counter equals
 * the ops executed (timed and warm-up) and the protected sum matches.                */
#include "bench.h"

static struct {
    pthread_mutex_t mutex;
    uint32_t count;
    uint64_t sum;
} BENCH_ALIGNED shared = { PTHREAD_MUTEX_INITIALIZER, 0, 0 };

static BENCH_HOT uint64_t body(int self, uint64_t from, uint64_t to, int timed)
{
    (void)self;
    (void)timed;
    for (uint64_t i = from; i < to; i++) {
        pthread_mutex_lock(&shared.mutex);
        shared.count++;
        shared.sum += i;
        pthread_mutex_unlock(&shared.mutex);
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench_args(argc, argv, "threads ops-per-thread");
    if (bench_variant) { fprintf(stderr, "pthread-mutex takes no variant\n"); return 2; }
    uint64_t unused;
    uint64_t ns = bench_run(body, &unused);
    uint64_t want_count = bench_executed();
    uint64_t want_sum = (bench_triangle(bench_ops) + bench_triangle(bench_warmup)) * (uint64_t)bench_threads;
    int pass = shared.count == (uint32_t)want_count && shared.sum == want_sum;
    int status = bench_report("pthread-mutex", ns, shared.sum ^ ((uint64_t)shared.count << 32), pass);
    if (status)
        fprintf(stderr, "pthread-mutex: count %u (expected %u), sum %llu (expected %llu)\n", shared.count,
                (uint32_t)want_count, (unsigned long long)shared.sum, (unsigned long long)want_sum);
    return status;
}
