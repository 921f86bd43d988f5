/* atomic-add-spread: like atomic-add, but each increment goes to one of 16
 * counters, each alone in its own 64-byte line, picked by a per-thread
 * xorshift32 generator.  Exercises many concurrent reservations on
 * different granules (a strategy keyed by address or by chunk must keep
 * them apart).  pass iff the sum of the 16 counters == T*N; also reports
 * STREX retries and how many counters were touched.  The threads meet at
 * a barrier (no atomics) every CHUNK iterations, as in atomic-add.
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#include "torture.h"

#define NCTR 16
#define ADD_LIMIT 1000000u
#define CHUNK 512          /* all threads meet at a barrier every CHUNK iterations
                              (chunk_point in torture.h) */

static line_u32 ctr[NCTR];
static u32 retries[MAXT], giveups[MAXT];
static struct chunker chk[MAXT];
static u32 picks[MAXT][NCTR];

static void *worker(void *arg)
{
    int self = *(int *)arg;
    u32 seed = 0x9e3779b9u * (u32)(self + 1);
    for (int i = 0; i < g_iters; i++) {
        if (chunk_point(&chk[self], self, i, CHUNK)) break;
        u32 k = (xorshift(&seed) >> 7) % NCTR;
        picks[self][k]++;
        u32 fails = 0;
        while (try_add(&ctr[k].v, 1) != 0) {
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
    u32 re = 0, gu = 0, sum = 0, per_bad = 0, used = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        re += retries[i]; gu += giveups[i]; cc += chk[i].concurrent; ch += chk[i].chunks;
    }
    for (int k = 0; k < NCTR; k++) {
        u32 want = 0;
        for (int i = 0; i < g_threads; i++) want += picks[i][k];
        u32 v = ld(&ctr[k].v);
        sum += v;
        if (v != want) per_bad++;
        if (v) used++;
    }
    u32 expect = (u32)g_threads * (u32)g_iters;
    char obs[200];
    snprintf(obs, sizeof obs,
             "sum=%u,expected=%u,bad_counters=%u,counters_used=%u,strex_retries=%u,giveups=%u,concurrent_chunks=%u,chunks=%u,aborted=%u",
             sum, expect, per_bad, used, re, gu, cc, ch, ld(&g_abort.v));
    result("atomic-add-spread", sum == expect && per_bad == 0 && gu == 0 && !ld(&g_abort.v), obs);
    return 0;
}
