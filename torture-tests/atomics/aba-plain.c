/* aba-plain: A -> B -> A by PLAIN stores between another vCPU's LDREX and
 * STREX.  Thread A: LDREX X (X == 1), signal B, busy-wait (no syscall);
 * thread B: STR X=2, STR X=1 (plain stores, no exclusives), signal A;
 * A: STREX X=3.  Under real ARM semantics B's stores clear A's reservation,
 * so A's STREX fails (status 1) in every round.  A value-comparing STREX
 * (cmpxchg of 1 -> 3) sees 1 again and wrongly succeeds.
 * pass iff strex_succeeded == 0 (see handshake.h for the protocol).
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 300]
 *       [swp]: every thread first executes one SWP on a dummy word (AIE turns
 *       its plain-store checks on at the first SWP); the result line then says
 *       case=aba-plain-after-swp and adds swaps=<threads that did it>. */
#define CASE_NAME "aba-plain"
#define DEFAULT_ITERS 300
#define HS_WORD_X
#define HS_SWP_OPTION
#include "handshake.h"

static int interfere(volatile u32 *x)
{
    int bad = ld(x) != 1;
    st(x, 2);
    st(x, 1);
    return bad ? -1 : 0;
}
