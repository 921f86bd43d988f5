/* swp-mixed: one lock word, taken with SWP by the even-numbered threads and
 * with LDREX/STREX by the odd-numbered ones (so half and half; with 2
 * threads one of each).  Plain counter under the lock, each of T threads
 * increments it N times.  SWP is a store, so it must clear LDREX
 * reservations on the word, and a STREX must not overwrite a lock taken by
 * SWP.  pass iff counter == T*N (and no overlap in the critical section).
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#define CASE_NAME "swp-mixed"
#define DEFAULT_THREADS 4
#define DEFAULT_ITERS 100000

#define EXTRA_OBS(buf, size) \
    snprintf(buf, size, ",swp_threads=%d,ldrex_threads=%d", (g_threads + 1) / 2, g_threads / 2)
#include "lockcount.h"

static int acquire(int self, volatile u32 *lock, u32 *n)
{
    for (;;) {
        if (wait_free(lock, n)) return -1;
        if ((self & 1) == 0) {
            if (swp(lock, 1) == 0) { dmb(); return 0; }
        } else {
            if (try_cas(lock, 0, 1) == 0) { dmb(); return 0; }
        }
        if (++*n >= LOCK_LIMIT) return -1;
    }
}
