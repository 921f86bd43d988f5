/* store-diff: a plain store of a DIFFERENT value by another vCPU between
 * A's LDREX and STREX.  Thread A: LDREX X (X == 1), signal B, busy-wait
 * (no syscall); thread B: STR X=2, signal A; A: STREX X=3.  Real LL/SC and
 * a value-comparing STREX (memory holds 2, not the loaded 1) both make A's
 * STREX fail in every round; an STREX that ignores the store succeeds.
 * pass iff strex_succeeded == 0 (see handshake.h for the protocol).
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 300] */
#define CASE_NAME "store-diff"
#define DEFAULT_ITERS 300
#define HS_WORD_X
#include "handshake.h"

static int interfere(volatile u32 *x)
{
    int bad = ld(x) != 1;
    st(x, 2);
    return bad ? -1 : 0;
}
