/* store-same: a plain store of the SAME value by another vCPU between A's
 * LDREX and STREX.  Thread A: LDREX X (X == 1), signal B, busy-wait (no
 * syscall); thread B: STR X=1 (the value already there), signal A;
 * A: STREX X=3.  Any store by another observer to the marked address clears
 * A's reservation (ARM ARM A3.4), whatever value it writes, so A's STREX
 * fails in every round; a value-comparing STREX wrongly succeeds.
 * pass iff strex_succeeded == 0 (see handshake.h for the protocol).
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 300] */
#define CASE_NAME "store-same"
#define DEFAULT_ITERS 300
#define HS_WORD_X
#include "handshake.h"

static int interfere(volatile u32 *x)
{
    int bad = ld(x) != 1;
    st(x, 1);
    return bad ? -1 : 0;
}
