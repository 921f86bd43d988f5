/* swp-lock: a SWP test-and-set spinlock (swp r1, r2, [r0] with r2 = 1;
 * DMB after acquire, DMB before the releasing plain STR of 0) guarding a
 * plain counter that each of T threads increments N times.
 * pass iff counter == T*N (and no overlap in the critical section).
 * SWP is deprecated in ARMv7 (Linux on real ARMv7 cores may emulate it or
 * raise SIGILL); qemu-arm executes it.
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#define CASE_NAME "swp-lock"
#define DEFAULT_THREADS 4
#define DEFAULT_ITERS 100000
#include "lockcount.h"

static int acquire(int self, volatile u32 *lock, u32 *n)
{
    (void)self;
    for (;;) {
        if (wait_free(lock, n)) return -1;
        if (swp(lock, 1) == 0) { dmb(); return 0; }
        if (++*n >= LOCK_LIMIT) return -1;
    }
}
