/* strex-fail-keeps: another vCPU's FAILED STREX (and its LDREX and CLREX)
 * between A's LDREX and STREX must leave A's reservation alone
 * (STRATEGIES.md: "a failed STREX must not clear others' reservations";
 * gem5 livelocked at 7-8 CPUs when it did).  Thread A: LDREX X (X == 1),
 * signal B, busy-wait (no syscall); thread B, without ever storing to X:
 *     LDREX X; CLREX; STREX X   ; must fail: B holds no reservation
 *     LDREX X; LDREX Y; STREX X ; must fail: B's monitor is on Y now
 * then signals A; A: STREX X=3, which must succeed (nobody wrote X).
 * pass iff strex_failed == 0 (every STREX of A stored), and in every round
 * both of B's STREX failed and X still read 1 afterwards (else bad).
 * See handshake.h for the protocol.
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 300] */
#define CASE_NAME "strex-fail-keeps"
#define DEFAULT_ITERS 300
#define HS_WORD_X
#define HS_STREX_MUST_SUCCEED
#include "handshake.h"

/* B's other word: thread-local, so each pair's B has its own (another line and chunk). */
static __thread line_u32 y;

static int interfere(volatile u32 *x)
{
    u32 v, s1, s2, seven = 7;
    __asm__ volatile(
        "ldrex   %0, [%3]\n\t"
        "clrex\n\t"
        "strex   %1, %5, [%3]\n\t"
        "ldrex   %0, [%3]\n\t"
        "ldrex   %0, [%4]\n\t"
        "strex   %2, %5, [%3]\n\t"
        : "=&r"(v), "=&r"(s1), "=&r"(s2)
        : "r"(x), "r"(&y.v), "r"(seven)
        : "memory");
    return (s1 != 1 || s2 != 1 || ld(x) != 1) ? -1 : 0;
}
