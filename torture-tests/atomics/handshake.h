/* handshake.h: deterministic "another vCPU acts between my LDREX and my
 * STREX" driver, shared by aba-plain, aba-llsc, store-diff, store-same
 * (which use the word-X window defined here, HS_WORD_X) and treiber-aba
 * (which brings its own window).
 *
 * Threads come in pairs (threads/2 pairs, at least one).  Each pair owns
 * its case data (for HS_WORD_X: a word X alone in a 64-byte line) and the
 * flag words ready, go, done, bstat and stop, each in its own 64-byte line.
 * A runs iters rounds; each round is one or more attempts a = 1, 2, ...
 * (numbered across the whole run):
 *
 *   B: ready = a; wait for go == a (busy spins B_SPIN_PURE times first, so
 *      that B stays on a CPU while A enters its window; then yields); DMB;
 *      interfere(); DMB; bstat = 0 or 1 (B's own sanity check); done = a.
 *   A: wait (yielding) for ready == a; setup() with plain stores (B idle);
 *      DMB; then the window, ONE asm statement.  For HS_WORD_X (X = 1):
 *        LDREX v, [X]          ; v must be 1; A now holds the reservation
 *        DMB
 *        STR   a, [go]         ; tell B
 *        DMB
 *      1:LDR   d, [done]       ; pure busy-wait: no syscall, no exclusive,
 *        CMP   d, a            ;   only plain loads of 'done', bounded by
 *        BEQ   2f              ;   a spin count (see below)
 *        SUBS  cnt, cnt, #1
 *        BNE   1b
 *      2:DMB
 *        STREX s, #3, [X]      ; real ARM: s must be 1 (B wrote X)
 *
 * The DMB after A's LDREX orders the exclusive load before the 'go' store,
 * and B's DMB before 'done' orders its writes after its view of 'go', so in
 * every counted attempt B's writes come after A's LDREX and before A's
 * STREX in coherence order.  A store to the marked address by another
 * observer clears A's reservation (ARM ARM A3.4.2, global monitor), so
 * under real hardware semantics every such STREX of A fails.  A's own store
 * to 'go' is to a different 64-byte line (not the marked granule), which
 * leaves its local monitor alone (A3.4.1); if an implementation cleared it
 * anyway the STREX would only fail more, so the verdict cannot flip.  A
 * does no syscall in the window: on Linux every return from a syscall and
 * every context switch clears the monitor, which would make the test pass
 * for the wrong reason.
 *
 * If B has not answered within the spin count (typically: B is not running
 * because the host CPUs are oversubscribed, and A cannot yield inside the
 * window), the attempt is abandoned: its STREX outcome is not counted, A
 * waits (yielding) for B to finish that attempt, and the round is retried
 * with a new attempt whose spin count is doubled (WINDOW_SPINS << k: when
 * A and B share one host CPU, a short window never sees B, a long enough
 * one spans a host time slice and lets the preempted B in; an emulator
 * does not clear the monitor when the host preempts A).  A round still
 * unanswered after MAX_ATTEMPTS attempts (about 3.3e8 spins in all) is
 * counted as a timeout.
 *
 * observed: strex_succeeded / strex_failed over the counted rounds,
 * retried (abandoned attempts), timeouts, rounds, bad (unexpected value seen
 * by A's LDREX, or B's sanity check failed, in a counted round).
 * pass iff all rounds were counted (no timeout, no abort), bad == 0 and
 * strex_succeeded == 0; with HS_STREX_MUST_SUCCEED defined (B's action does
 * not touch A's reservation), strex_failed == 0 instead.
 */
#ifndef HANDSHAKE_H
#define HANDSHAKE_H
#include "torture.h"

#define WINDOW_SPINS 20000u      /* first attempt: ~0.1 ms under qemu-arm */
#define MAX_ATTEMPTS 14u
#define B_SPIN_PURE  (1u << 18)  /* B's busy spins before it starts yielding */

#ifdef HS_WORD_X
#define NEWVAL 3u
struct cdata { line_u32 x; };
static int interfere(volatile u32 *x);

static inline void setup(struct cdata *d) { st(&d->x.v, 1); }

/* *cnt: spin limit in, spins left out (0: B did not answer); returns the
 * STREX status; *bad = 1 if the LDREX did not load 1 */
static inline u32 window(struct cdata *d, volatile u32 *go, volatile u32 *done,
                         u32 a, u32 *cnt, u32 *bad)
{
    u32 v, s, c = *cnt;
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
        : "=&r"(v), "=&r"(s), "+r"(c)
        : "r"(&d->x.v), "r"(go), "r"(a), "r"(done), "r"(NEWVAL)
        : "memory", "cc");
    *cnt = c;
    *bad = v != 1;
    return s;
}

static inline int b_action(struct cdata *d) { return interfere(&d->x.v); }
static inline u32 after_success(struct cdata *d) { (void)d; return 0; }
static inline u32 after_failure(struct cdata *d) { (void)d; return 0; }
#define EXTRA_NAME NULL
#else
/* the including file has defined struct cdata and setup, window, b_action,
 * after_success (returns 1 to count an EXTRA_NAME event), after_failure
 * (returns 1 if the state B left is not as expected), EXTRA_NAME */
#endif

struct pair {
    line_u32 ready, go, done, bstat, stop;
    struct cdata d;
    /* results, written by A only, read after join */
    u32 succeeded, failed, retried, timeouts, rounds, bad, extra;
} ALIGNED_LINE;

static struct pair pairs[MAXT / 2];

static void thread_a(struct pair *p)
{
    u32 a = 0;
    for (u32 r = 1; r <= (u32)g_iters; r++) {
        u32 tries;
        for (tries = 0; tries < MAX_ATTEMPTS; tries++) {
            a++;
            if (wait_eq(&p->ready.v, a)) goto out;
            setup(&p->d);
            dmb();
            u32 cnt = WINDOW_SPINS << tries, bad;
            u32 s = window(&p->d, &p->go.v, &p->done.v, a, &cnt, &bad);
            if (cnt == 0) {                      /* B did not answer in time */
                p->retried++;
                if (wait_eq(&p->done.v, a)) goto out;
                continue;
            }
            if (bad || ld(&p->bstat.v)) p->bad++;
            if (s == 0) {
                p->succeeded++;
                p->extra += after_success(&p->d);
            } else {
                p->failed++;
                if (after_failure(&p->d)) p->bad++;
            }
            break;
        }
        if (tries == MAX_ATTEMPTS) p->timeouts++;
        p->rounds++;
    }
out:
    dmb();
    st(&p->stop.v, 1);
}

static void thread_b(struct pair *p)
{
    for (u32 a = 1;; a++) {
        dmb();
        st(&p->ready.v, a);
        /* wait for go == a, or for A to stop */
        u32 n = 0;
        while (ld(&p->go.v) != a) {
            if (ld(&p->stop.v) || ld(&g_abort.v)) return;
            if (++n >= WAIT_LIMIT) { st(&g_abort.v, 1); return; }
            if (n >= B_SPIN_PURE && (n & 63) == 63) sched_yield();
        }
        dmb();
        int bad = b_action(&p->d);
        dmb();
        st(&p->bstat.v, bad ? 1 : 0);
        dmb();
        st(&p->done.v, a);
    }
}

#ifdef HS_SWP_OPTION
/* argv[3] == "swp": every thread executes one SWP on a dummy word of its own
 * before its first round, so that a strategy which changes how plain stores
 * are handled from the first SWP on (AIE's store helpers) has done so before
 * any window opens.  A thread signals ready only after its SWP, so both
 * threads of a pair have executed it when the first window opens. */
static int g_swp_first;
static line_u32 g_swp_dummy[MAXT];
#endif

static void *worker(void *arg)
{
    int i = *(int *)arg;
#ifdef HS_SWP_OPTION
    if (g_swp_first) swp(&g_swp_dummy[i].v, 1);
#endif
    if (i & 1) thread_b(&pairs[i / 2]); else thread_a(&pairs[i / 2]);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 2, DEFAULT_ITERS);
#ifdef HS_SWP_OPTION
    if (argc > 3) {
        if (strcmp(argv[3], "swp")) { fprintf(stderr, "bad mode '%s' (swp)\n", argv[3]); exit(2); }
        g_swp_first = 1;
    }
#endif
    int npairs = g_threads / 2;
    if (npairs < 1) npairs = 1;
    g_threads = 2 * npairs;
    run_threads(g_threads, worker);

    u32 succ = 0, fail = 0, retr = 0, to = 0, rounds = 0, bad = 0, extra = 0;
    for (int i = 0; i < npairs; i++) {
        struct pair *p = &pairs[i];
        succ += p->succeeded; fail += p->failed; retr += p->retried;
        to += p->timeouts; rounds += p->rounds; bad += p->bad; extra += p->extra;
    }
    int complete = rounds == (u32)npairs * (u32)g_iters && !ld(&g_abort.v);
    char obs[256], ex[64] = "";
    if (EXTRA_NAME) snprintf(ex, sizeof ex, "%s=%u,", (const char *)EXTRA_NAME, extra);
    snprintf(obs, sizeof obs,
             "strex_succeeded=%u,strex_failed=%u,%sretried=%u,timeouts=%u,rounds=%u,bad=%u,aborted=%u",
             succ, fail, ex, retr, to, rounds, bad, ld(&g_abort.v));
#ifdef HS_SWP_OPTION
    if (g_swp_first) {
        u32 swaps = 0;                    /* dummy words the SWPs set to 1 */
        for (int i = 0; i < g_threads; i++) swaps += ld(&g_swp_dummy[i].v);
        size_t n = strlen(obs);
        snprintf(obs + n, sizeof obs - n, ",swaps=%u", swaps);
        result(CASE_NAME "-after-swp", complete && succ == 0 && to == 0 && bad == 0 && swaps == (u32)g_threads, obs);
        return 0;
    }
#endif
#ifdef HS_STREX_MUST_SUCCEED
    result(CASE_NAME, complete && fail == 0 && to == 0 && bad == 0, obs);
#else
    result(CASE_NAME, complete && succ == 0 && to == 0 && bad == 0, obs);
#endif
    return 0;
}

#endif
