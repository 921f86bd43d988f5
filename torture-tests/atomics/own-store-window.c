/* own-store-window: a vCPU's own plain store to other bytes of its reserved
 * granule, inside its LDREX..STREX window, every iteration (STRATEGIES.md:
 * "must not livelock").  Each thread owns one 64-byte line holding a
 * counter (offset 0) and a 'next' word (offset 4), as a Treiber push whose
 * node lies beside the list head:
 *
 *     LDREX v, [counter]
 *     STR   v, [next]          ; own plain store, same 16/32/64-byte chunk
 *     ADD   v, v, #1
 *     STREX s, v, [counter]
 *
 * ARM ARM A3.4.5: whether a PE's own non-exclusive store clears its local
 * monitor is IMPLEMENTATION DEFINED only for a store to the marked address
 * itself; a store to other bytes leaves it alone on real cores, and no other
 * observer touches the line, so the STREX succeeds (a spurious failure now
 * and then is allowed, a failure every time is a livelock).  Each increment
 * retries until its STREX succeeds; ADD_LIMIT consecutive failures count as
 * a give-up (livelock) and stop the run.
 * pass iff every counter == N, every 'next' == N-1 and no give-up.
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#include "torture.h"

#define ADD_LIMIT 1000000u
#define CHUNK 512

struct own { volatile u32 counter, next; char pad[LINE - 2 * sizeof(u32)]; } ALIGNED_LINE;

static struct own lines[MAXT];
static u32 retries[MAXT], giveups[MAXT];
static struct chunker chk[MAXT];

static inline u32 try_add_with_own_store(struct own *o)
{
    u32 v, status;
    __asm__ volatile(
        "ldrex   %0, [%2]\n\t"
        "str     %0, [%3]\n\t"
        "add     %0, %0, #1\n\t"
        "strex   %1, %0, [%2]\n\t"
        : "=&r"(v), "=&r"(status)
        : "r"(&o->counter), "r"(&o->next)
        : "memory", "cc");
    return status;
}

static void *worker(void *arg)
{
    int self = *(int *)arg;
    for (int i = 0; i < g_iters; i++) {
        if (chunk_point(&chk[self], self, i, CHUNK)) break;
        u32 fails = 0;
        while (try_add_with_own_store(&lines[self]) != 0) {
            if (++fails >= ADD_LIMIT) { giveups[self]++; st(&g_abort.v, 1); break; }
            if ((fails & 255) == 255) sched_yield();
        }
        retries[self] += fails;
        if (giveups[self]) break;
        chunk_tick(self, i);
    }
    chunk_end(&chk[self], self);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 4, 100000);
    run_threads(g_threads, worker);
    u32 re = 0, gu = 0, wrong = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        re += retries[i]; gu += giveups[i]; cc += chk[i].concurrent; ch += chk[i].chunks;
        if (ld(&lines[i].counter) != (u32)g_iters || ld(&lines[i].next) != (u32)g_iters - 1) wrong++;
    }
    char obs[200];
    snprintf(obs, sizeof obs, "wrong_counters=%u,strex_retries=%u,giveups=%u,concurrent_chunks=%u,chunks=%u,aborted=%u",
             wrong, re, gu, cc, ch, ld(&g_abort.v));
    result("own-store-window", wrong == 0 && gu == 0 && !ld(&g_abort.v), obs);
    return 0;
}
