/* strexd-counter: a 64-bit counter incremented with LDREXD/ADDS/ADC/STREXD
 * (one asm statement per attempt) by T threads, N times each.  It starts at
 * 2^32 - T*N/2, so half-way through the run it crosses the 32-bit boundary
 * (0x00000000_ffffffff -> 0x00000001_00000000), where a torn 64-bit access
 * shows as 0x00000000_00000000-ish or 0x00000001_ffffffff-ish values.
 * Checks:
 *   - every value an increment loaded must lie in [start, start + T*N);
 *   - every 4th iteration the thread also reads the counter with
 *     LDREXD + CLREX, which must lie in [start, start + T*N];
 *   - both kinds of reads by one thread must be non-decreasing (the
 *     counter only grows, and reads of one location are coherent);
 *   - final == start + T*N.
 * observed: final, expected (hex), torn (out-of-range reads), nonmono
 * (reads smaller than an earlier read by the same thread), strex_retries.
 * pass iff final == expected and torn == 0 and nonmono == 0.  The threads
 * meet at a barrier (no atomics) every CHUNK iterations so that they really
 * run at the same time even on a busy host; concurrent_chunks/chunks say
 * how much they overlapped (torture.h).
 * argv: [threads, default 4] [iterations per thread, default 100000] */
#include "torture.h"

#define ADD_LIMIT 1000000u
#define CHUNK 512          /* all threads meet at a barrier every CHUNK iterations
                              (chunk_point in torture.h) */

static struct { volatile u64 v; char pad[LINE - 8]; } ALIGNED_LINE counter;
static u64 start, end_;   /* end_ = start + T*N */
static u32 torn[MAXT], nonmono[MAXT], retries[MAXT], giveups[MAXT];
static struct chunker chk[MAXT];

/* one increment attempt; returns the STREXD status, *old the loaded value */
static inline u32 try_inc64(volatile u64 *p, u64 *old)
{
    u64 o, n;
    u32 s;
    __asm__ volatile(
        "ldrexd  %0, %H0, [%3]\n\t"
        "adds    %Q1, %Q0, #1\n\t"
        "adc     %R1, %R0, #0\n\t"
        "strexd  %2, %1, %H1, [%3]\n\t"
        : "=&r"(o), "=&r"(n), "=&r"(s)
        : "r"(p)
        : "memory", "cc");
    *old = o;
    return s;
}

static inline u64 read64(volatile u64 *p)
{
    u64 v;
    __asm__ volatile(
        "ldrexd  %0, %H0, [%1]\n\t"
        "clrex\n\t"
        : "=&r"(v) : "r"(p) : "memory");
    return v;
}

static void *worker(void *arg)
{
    int self = *(int *)arg;
    u64 last = 0;
    for (int i = 0; i < g_iters; i++) {
        if (chunk_point(&chk[self], self, i, CHUNK)) break;
        u64 old;
        u32 fails = 0;
        while (try_inc64(&counter.v, &old) != 0) {
            if (++fails >= ADD_LIMIT) { giveups[self]++; st(&g_abort.v, 1); break; }
            if ((fails & 255) == 255) sched_yield();
        }
        retries[self] += fails;
        if (old < start || old >= end_) torn[self]++;
        if (old < last) nonmono[self]++;
        last = old;
        if ((i & 3) == 3) {
            u64 v = read64(&counter.v);
            if (v < start || v > end_) torn[self]++;
            if (v < last) nonmono[self]++;
            last = v;
        }
        chunk_tick(self, i);
    }
    chunk_end(&chk[self], self);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 4, 100000);
    u64 total = (u64)g_threads * (u64)g_iters;
    start = 0x100000000ull - total / 2;
    end_ = start + total;
    counter.v = start;
    run_threads(g_threads, worker);
    u32 tn = 0, nm = 0, re = 0, gu = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        tn += torn[i]; nm += nonmono[i]; re += retries[i]; gu += giveups[i];
        cc += chk[i].concurrent; ch += chk[i].chunks;
    }
    u64 fin = read64(&counter.v);
    char obs[256];
    snprintf(obs, sizeof obs,
             "final=0x%016llx,expected=0x%016llx,start=0x%016llx,torn=%u,nonmono=%u,strex_retries=%u,giveups=%u,concurrent_chunks=%u,chunks=%u,aborted=%u",
             (unsigned long long)fin, (unsigned long long)end_, (unsigned long long)start,
             tn, nm, re, gu, cc, ch, ld(&g_abort.v));
    result("strexd-counter", fin == end_ && tn == 0 && nm == 0 && gu == 0 && !ld(&g_abort.v), obs);
    return 0;
}
