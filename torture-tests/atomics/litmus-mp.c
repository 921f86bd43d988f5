/* litmus-mp: message passing (MP+dmbs).
 *   thread 0 (writer): STR 1 -> data ; [DMB ISH] ; STR 1 -> flag
 *   thread 1 (reader): LDR r1 <- flag ; [DMB ISH] ; LDR r2 <- data
 * Outcomes are reported as out<r1><r2>.  Forbidden with both DMBs:
 * r1 == 1 && r2 == 0 (out10).
 * pass (dmb mode) iff forbidden == 0; nodmb mode only reports (allowed=1).
 * argv: [threads (pairs = threads/2, default 2)] [iterations, default 20000]
 *       [dmb|nodmb, default dmb]  -- see litmus.h */
#define CASE_NAME "litmus-mp"
#define OUTCOME(a, b) (b)         /* the reader returns r1*2 + r2 */
#define FORBIDDEN 2               /* r1=1, r2=0 */
#include "litmus.h"

static u32 thread0(volatile u32 *data, volatile u32 *flag, int d)
{
    if (d)
        __asm__ volatile("str %2, [%0]\n\tdmb ish\n\tstr %2, [%1]\n\t"
                         :: "r"(data), "r"(flag), "r"(1u) : "memory");
    else
        __asm__ volatile("str %2, [%0]\n\tstr %2, [%1]\n\t"
                         :: "r"(data), "r"(flag), "r"(1u) : "memory");
    return 0;
}

static u32 thread1(volatile u32 *data, volatile u32 *flag, int d)
{
    u32 r1, r2;
    if (d)
        __asm__ volatile("ldr %0, [%3]\n\tdmb ish\n\tldr %1, [%2]\n\t"
                         : "=&r"(r1), "=&r"(r2) : "r"(data), "r"(flag) : "memory");
    else
        __asm__ volatile("ldr %0, [%3]\n\tldr %1, [%2]\n\t"
                         : "=&r"(r1), "=&r"(r2) : "r"(data), "r"(flag) : "memory");
    return r1 * 2 + r2;
}
