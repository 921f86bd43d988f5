/* lockcount.h: "T threads each enter a spinlock N times and increment a
 * plain counter" driver shared by spinlock-ldrex, swp-lock and swp-mixed.
 *
 * The lock word, the plain counter and an occupancy word live in separate
 * 64-byte lines.  Inside the critical section a thread increments the
 * occupancy word (it must have been 0: nobody else is inside), increments
 * the counter with a plain LDR/STR pair, and decrements the occupancy word.
 * All three are plain (volatile) accesses, so only the lock makes them
 * exact.  Acquire ends with DMB, release is DMB then a plain STR of 0.
 *
 * The threads meet at a barrier (plain loads/stores, no atomics) every
 * CHUNK iterations, so that they really run the loop at the same time even
 * when the host CPUs are shared with other work (see chunk_point in
 * torture.h); concurrent_chunks/chunks report how much they overlapped
 * (0 concurrent chunks: the run could not have caught a broken lock).
 *
 * An acquire that has not succeeded after LOCK_LIMIT spins (a broken lock
 * that never frees) sets the abort flag and every thread stops early; the
 * counter is then short and the case fails without hanging.
 *
 * pass iff counter == T*N, no overlap was observed and no acquire gave up.
 *
 * The including file defines CASE_NAME, DEFAULT_THREADS, DEFAULT_ITERS and
 *     static int acquire(int self, volatile u32 *lock, u32 *spins);
 * (0 when the lock is held by the caller, -1 after LOCK_LIMIT spins; it
 * must end with a DMB), and may define EXTRA_OBS(buf, size) to append
 * fields to the observed list.
 */
#ifndef LOCKCOUNT_H
#define LOCKCOUNT_H
#include "torture.h"

#define LOCK_LIMIT (1u << 24)
#define CHUNK 512

static line_u32 lock_word, counter, occupancy;
static u32 overlaps[MAXT], giveups[MAXT], spins[MAXT];
static struct chunker chk[MAXT];

static int acquire(int self, volatile u32 *lock, u32 *spins);

static inline void release(volatile u32 *lock)
{
    dmb();
    st(lock, 0);
}

/* Wait (bounded, plain loads) until the lock word reads 0.  Counts the
 * spins in *n; returns -1 once *n reaches LOCK_LIMIT. */
static inline int wait_free(volatile u32 *lock, u32 *n)
{
    while (ld(lock) != 0) {
        if (++*n >= LOCK_LIMIT) return -1;
        if (*n >= SPIN_PURE && (*n & 63) == 63) sched_yield();
    }
    return 0;
}

static void *worker(void *arg)
{
    int self = *(int *)arg;
    for (int i = 0; i < g_iters; i++) {
        if (chunk_point(&chk[self], self, i, CHUNK)) break;
        u32 n = 0;
        if (acquire(self, &lock_word.v, &n)) {
            giveups[self]++; spins[self] += n;
            st(&g_abort.v, 1);
            break;
        }
        spins[self] += n;
        u32 o = ld(&occupancy.v);
        st(&occupancy.v, o + 1);
        if (o != 0) overlaps[self]++;
        u32 c = ld(&counter.v);
        st(&counter.v, c + 1);
        o = ld(&occupancy.v);
        st(&occupancy.v, o - 1);
        if (o != 1) overlaps[self]++;
        release(&lock_word.v);
        chunk_tick(self, i);
    }
    chunk_end(&chk[self], self);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, DEFAULT_THREADS, DEFAULT_ITERS);
    run_threads(g_threads, worker);
    u32 ov = 0, gu = 0, sp = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        ov += overlaps[i]; gu += giveups[i]; sp += spins[i];
        cc += chk[i].concurrent; ch += chk[i].chunks;
    }
    u32 expect = (u32)g_threads * (u32)g_iters;
    u32 got = ld(&counter.v);
    char obs[256];
    int len = snprintf(obs, sizeof obs,
                       "counter=%u,expected=%u,overlaps=%u,lock_giveups=%u,wait_spins=%u,concurrent_chunks=%u,chunks=%u,aborted=%u",
                       got, expect, ov, gu, sp, cc, ch, ld(&g_abort.v));
#ifdef EXTRA_OBS
    EXTRA_OBS(obs + len, sizeof obs - len);
#else
    (void)len;
#endif
    result(CASE_NAME, got == expect && ov == 0 && gu == 0 && !ld(&g_abort.v), obs);
    return 0;
}

#endif
