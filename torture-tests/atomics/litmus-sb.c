/* litmus-sb: store buffering (SB+dmbs).
 *   thread 0: STR 1 -> x ; [DMB ISH] ; LDR r0 <- y
 *   thread 1: STR 1 -> y ; [DMB ISH] ; LDR r1 <- x
 * Outcomes are reported as out<r0><r1>.  Forbidden with both DMBs:
 * r0 == 0 && r1 == 0 (out00).  Without barriers it is allowed on ARM (and
 * on an x86 host: TSO store buffers).
 * pass (dmb mode) iff forbidden == 0; nodmb mode only reports (allowed=1).
 * argv: [threads (pairs = threads/2, default 2)] [iterations, default 20000]
 *       [dmb|nodmb, default dmb]  -- see litmus.h */
#define CASE_NAME "litmus-sb"
#define OUTCOME(a, b) ((a) * 2 + (b))
#define FORBIDDEN 0               /* r0=0, r1=0 */
#include "litmus.h"

static inline u32 sb_thread(volatile u32 *mine, volatile u32 *other, int d)
{
    u32 r;
    if (d)
        __asm__ volatile("str %3, [%1]\n\tdmb ish\n\tldr %0, [%2]\n\t"
                         : "=&r"(r) : "r"(mine), "r"(other), "r"(1u) : "memory");
    else
        __asm__ volatile("str %3, [%1]\n\tldr %0, [%2]\n\t"
                         : "=&r"(r) : "r"(mine), "r"(other), "r"(1u) : "memory");
    return r;
}

static u32 thread0(volatile u32 *x, volatile u32 *y, int d) { return sb_thread(x, y, d); }
static u32 thread1(volatile u32 *x, volatile u32 *y, int d) { return sb_thread(y, x, d); }
