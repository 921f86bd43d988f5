/* atomic-add: T threads each add 1 to ONE shared word N times with a
 * LDREX/ADD/STREX retry loop (one asm statement per attempt, so nothing
 * sits between LDREX and STREX).  pass iff total == T*N.  Also reports the
 * number of failed STREX attempts (retries) and increments abandoned after
 * ADD_LIMIT consecutive failures (a STREX that never succeeds; the run then
 * stops).  The threads meet at a barrier (no atomics) every CHUNK
 * iterations so that they really run at the same time even on a busy host;
 * concurrent_chunks/chunks say how much they overlapped (torture.h).
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#include "torture.h"

#define ADD_LIMIT 1000000u
#define CHUNK 512          /* all threads meet at a barrier every CHUNK iterations
                              (chunk_point in torture.h) */

static line_u32 total;
static u32 retries[MAXT], giveups[MAXT];
static struct chunker chk[MAXT];

static void *worker(void *arg)
{
    int self = *(int *)arg;
    for (int i = 0; i < g_iters; i++) {
        if (chunk_point(&chk[self], self, i, CHUNK)) break;
        u32 fails = 0;
        while (try_add(&total.v, 1) != 0) {
            if (++fails >= ADD_LIMIT) { giveups[self]++; st(&g_abort.v, 1); break; }
            if ((fails & 255) == 255) sched_yield();
        }
        retries[self] += fails;
        chunk_tick(self, i);
    }
    chunk_end(&chk[self], self);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 4, 100000);
    run_threads(g_threads, worker);
    u32 re = 0, gu = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        re += retries[i]; gu += giveups[i]; cc += chk[i].concurrent; ch += chk[i].chunks;
    }
    u32 expect = (u32)g_threads * (u32)g_iters, got = ld(&total.v);
    char obs[200];
    snprintf(obs, sizeof obs, "total=%u,expected=%u,strex_retries=%u,giveups=%u,concurrent_chunks=%u,chunks=%u,aborted=%u",
             got, expect, re, gu, cc, ch, ld(&g_abort.v));
    result("atomic-add", got == expect && gu == 0 && !ld(&g_abort.v), obs);
    return 0;
}
