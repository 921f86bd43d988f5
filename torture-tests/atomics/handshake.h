/* handshake.h: deterministic "something happens between my LDREX and my
 * STREX" driver shared by aba-plain, aba-llsc, store-diff and store-same.
 *
 * Threads come in pairs (threads/2 pairs, at least one).  Each pair owns a
 * word X alone in a 64-byte line and two flag words (go, done), each in its
 * own line.  One round r (1..iters):
 *
 *   A: X = 1 (plain store; B is idle), DMB, then ONE asm statement:
 *        LDREX v, [X]          ; v must be 1; A now holds the reservation
 *        DMB
 *        STR   r, [go]         ; tell B
 *        DMB
 *      1:LDR   d, [done]       ; pure busy-wait: no syscall, no exclusive,
 *        CMP   d, r            ;   only plain loads of 'done', bounded by
 *        BEQ   2f              ;   A_SPIN_LIMIT iterations
 *        SUBS  cnt, cnt, #1
 *        BNE   1b
 *      2:DMB
 *        STREX s, #3, [X]      ; real ARM: s must be 1 (B wrote X)
 *   B: wait (yielding) for go == r, DMB, interfere(X), DMB, done = r.
 *
 * The DMB after A's LDREX orders the exclusive load before the 'go' store,
 * and B's DMB before 'done' orders its writes to X before it, so in every
 * round B's writes to X come after A's LDREX and before A's STREX in X's
 * coherence order.  A store to X by another observer clears A's
 * reservation (ARM ARM A3.4.2, global monitor), so under real hardware
 * semantics every STREX of A fails.  A's own store to 'go' is to a
 * different 64-byte line (not the marked granule), which leaves its local
 * monitor alone (A3.4.1); if an implementation cleared it anyway the STREX
 * would only fail more, so the verdict cannot flip.  A does no syscall in
 * the window: on Linux every return from a syscall or a context switch
 * clears the monitor (a dummy STREX/CLREX on the exception return path),
 * which would make the test pass for the wrong reason.
 *
 * A round in which B did not answer within A_SPIN_LIMIT spins is counted as
 * a timeout (its STREX outcome is not counted; A then waits, yielding, for
 * B to finish that round).  Verdict: pass iff every round completed,
 * without timeout, and every STREX of A failed.
 *
 * The including file defines CASE_NAME and
 *     static int interfere(volatile u32 *x);   (returns 0, or -1 on a
 *                                               setup anomaly)
 */
#ifndef HANDSHAKE_H
#define HANDSHAKE_H
#include "torture.h"

#define A_SPIN_LIMIT 200000000u
#define NEWVAL 3u

struct pair {
    line_u32 x, go, done;
    /* results, written by the owning thread only, read after join */
    u32 succeeded, failed, timeouts, rounds, bad_ldrex, bad_b;
} ALIGNED_LINE;

static struct pair pairs[MAXT / 2];

static int interfere(volatile u32 *x);

static void *thread_a(struct pair *p)
{
    for (u32 r = 1; r <= (u32)g_iters; r++) {
        if (ld(&g_abort.v)) break;
        st(&p->x.v, 1);
        dmb();
        u32 v, s, cnt = A_SPIN_LIMIT;
        __asm__ volatile(
            "ldrex   %0, [%3]\n\t"
            "dmb     ish\n\t"
            "str     %5, [%4]\n\t"
            "dmb     ish\n"
            "1:\n\t"
            "ldr     %1, [%6]\n\t"
            "cmp     %1, %5\n\t"
            "beq     2f\n\t"
            "subs    %2, %2, #1\n\t"
            "bne     1b\n"
            "2:\n\t"
            "dmb     ish\n\t"
            "strex   %1, %7, [%3]\n\t"
            : "=&r"(v), "=&r"(s), "+r"(cnt)
            : "r"(&p->x.v), "r"(&p->go.v), "r"(r), "r"(&p->done.v), "r"(NEWVAL)
            : "memory", "cc");
        if (v != 1) p->bad_ldrex++;
        if (cnt == 0) {
            p->timeouts++;
            if (wait_eq(&p->done.v, r)) break;  /* B gone: give up */
        } else if (s == 0) {
            p->succeeded++;
        } else {
            p->failed++;
        }
        p->rounds++;
    }
    return NULL;
}

static void *thread_b(struct pair *p)
{
    for (u32 r = 1; r <= (u32)g_iters; r++) {
        if (wait_eq(&p->go.v, r)) break;
        dmb();
        if (interfere(&p->x.v)) p->bad_b++;
        dmb();
        st(&p->done.v, r);
    }
    return NULL;
}

static void *worker(void *arg)
{
    int i = *(int *)arg;
    struct pair *p = &pairs[i / 2];
    return (i & 1) ? thread_b(p) : thread_a(p);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 2, DEFAULT_ITERS);
    int npairs = g_threads / 2;
    if (npairs < 1) npairs = 1;
    g_threads = 2 * npairs;
    run_threads(g_threads, worker);

    u32 succ = 0, fail = 0, to = 0, rounds = 0, bad = 0, badb = 0;
    for (int i = 0; i < npairs; i++) {
        succ += pairs[i].succeeded; fail += pairs[i].failed;
        to += pairs[i].timeouts; rounds += pairs[i].rounds;
        bad += pairs[i].bad_ldrex; badb += pairs[i].bad_b;
    }
    int complete = rounds == (u32)npairs * (u32)g_iters && !ld(&g_abort.v);
    char obs[256];
    snprintf(obs, sizeof obs,
             "strex_succeeded=%u,strex_failed=%u,timeouts=%u,rounds=%u,bad_ldrex=%u,bad_b=%u,aborted=%u",
             succ, fail, to, rounds, bad, badb, ld(&g_abort.v));
    result(CASE_NAME, complete && succ == 0 && to == 0 && bad == 0 && badb == 0, obs);
    return 0;
}

#endif
