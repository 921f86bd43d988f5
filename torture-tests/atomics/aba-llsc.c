/* aba-llsc: A -> B -> A by another vCPU's LDREX/STREX pairs between A's
 * LDREX and STREX.  Thread A: LDREX X (X == 1), signal B, busy-wait (no
 * syscall); thread B: two successful LDREX/STREX pairs, X 1 -> 2 then
 * 2 -> 1, signal A; A: STREX X=3.  A successful STREX is a store, so under
 * real ARM semantics it clears A's reservation: A's STREX fails in every
 * round.  A value-comparing STREX sees 1 again and wrongly succeeds.
 * pass iff strex_succeeded == 0 (see handshake.h for the protocol).
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 300] */
#define CASE_NAME "aba-llsc"
#define DEFAULT_ITERS 300
#define HS_WORD_X
#include "handshake.h"

/* change *x from 'from' to 'to' with LDREX/STREX, retrying a failed STREX */
static int llsc_set(volatile u32 *x, u32 from, u32 to)
{
    for (u32 tries = 0; tries < 1000000; tries++) {
        u32 s = try_cas(x, from, to);
        if (s == 0) return 0;
        if (s == 2) return -1;          /* value was not 'from' */
        if ((tries & 255) == 255) sched_yield();
    }
    return -1;                          /* STREX never succeeded */
}

static int interfere(volatile u32 *x)
{
    int r = llsc_set(x, 1, 2);
    r |= llsc_set(x, 2, 1);
    return r;
}
