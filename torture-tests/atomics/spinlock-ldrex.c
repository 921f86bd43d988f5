/* spinlock-ldrex: a LDREX/STREX test-and-set spinlock (DMB after acquire,
 * DMB before the releasing plain STR of 0) guarding a plain counter that
 * each of T threads increments N times.  pass iff counter == T*N (and no
 * two threads were seen inside the critical section at once).
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#define CASE_NAME "spinlock-ldrex"
#define DEFAULT_THREADS 4
#define DEFAULT_ITERS 100000
#include "lockcount.h"

static int acquire(int self, volatile u32 *lock, u32 *n)
{
    (void)self;
    for (;;) {
        if (wait_free(lock, n)) return -1;
        u32 s = try_cas(lock, 0, 1);      /* LDREX; CMP #0; STREX 1 | CLREX */
        if (s == 0) { dmb(); return 0; }
        if (++*n >= LOCK_LIMIT) return -1;
    }
}
