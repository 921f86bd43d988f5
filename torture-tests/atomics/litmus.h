/* litmus.h: driver for the two-thread litmus tests litmus-mp and litmus-sb.
 *
 * Threads come in pairs (threads/2 pairs, at least one); each pair runs its
 * own instance with its own arrays.  Every iteration i uses fresh variables
 * (x[i], y[i], zero-initialised, so no iteration sees another's stores).
 * The two threads meet at a two-party spin barrier (each publishes its
 * iteration number in its own line and waits for the other's; plain
 * loads/stores with DMB, yielding only after SPIN_PURE spins), then each
 * waits a small pseudo-random register-only delay (0..15 loop turns) to
 * vary the overlap, and runs its litmus thread: one asm statement with
 * exactly the loads/stores of the test and, in "dmb" mode, a DMB ISH
 * between them.  Each thread records its loaded value in its own results
 * array; the outcomes are counted after pthread_join.
 *
 * argv: [threads (pairs = threads/2, default 2)] [iterations, default
 *       20000] [dmb|nodmb, default dmb]
 * With dmb the forbidden outcome must never appear: pass iff forbidden==0.
 * Without dmb the outcome is allowed by the ARM memory model, so the case
 * only reports it: status=pass (unless a barrier wait gave up) with
 * allowed=1 in the observed list.
 *
 * The including file defines CASE_NAME, the two thread bodies
 *   static u32 thread0(volatile u32 *x, volatile u32 *y, int dmb);
 *   static u32 thread1(volatile u32 *x, volatile u32 *y, int dmb);
 * each returning what its load(s) observed, OUTCOME(a, b) mapping the two
 * returned values to an outcome index 0..3 (reported as out00, out01,
 * out10, out11: the two loaded values, in the order the file documents),
 * and FORBIDDEN, the index of the outcome forbidden with DMBs.
 */
#ifndef LITMUS_H
#define LITMUS_H
#include "torture.h"

struct lpair {
    line_u32 at[2];                    /* two-party barrier counters */
    volatile u32 *x, *y;
    u32 *res[2];                       /* res[t][i]: thread t's load */
    u32 gave_up;
} ALIGNED_LINE;

#define NOTRUN 0xffu
static struct lpair lpairs[MAXT / 2];
static int use_dmb = 1;

static u32 thread0(volatile u32 *x, volatile u32 *y, int dmb);
static u32 thread1(volatile u32 *x, volatile u32 *y, int dmb);

static inline void delay(u32 n)
{
    __asm__ volatile(
        "cmp     %0, #0\n\t"
        "beq     2f\n"
        "1:\n\t"
        "subs    %0, %0, #1\n\t"
        "bne     1b\n"
        "2:\n\t"
        : "+r"(n) :: "cc");
}

/* two-party barrier for iteration i (1-based) */
static inline int pair_sync(struct lpair *p, int t, u32 i)
{
    dmb();
    st(&p->at[t].v, i);
    dmb();
    u32 n = 0;
    while (ld(&p->at[1 - t].v) < i) {
        if (ld(&g_abort.v)) return -1;
        if (++n >= WAIT_LIMIT) { st(&g_abort.v, 1); return -1; }
        if (n >= SPIN_PURE && (n & 63) == 63) sched_yield();
    }
    dmb();
    return 0;
}

static void *worker(void *arg)
{
    int idx = *(int *)arg, t = idx & 1;
    struct lpair *p = &lpairs[idx / 2];
    u32 seed = 0x1234567u + 0x9e3779b9u * (u32)idx;
    for (u32 i = 0; i < (u32)g_iters; i++) {
        if (pair_sync(p, t, i + 1)) { p->gave_up = 1; break; }
        delay(xorshift(&seed) & 15);
        p->res[t][i] = t ? thread1(&p->x[i], &p->y[i], use_dmb)
                         : thread0(&p->x[i], &p->y[i], use_dmb);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 2, 20000);
    if (argc > 3) {
        if (!strcmp(argv[3], "dmb")) use_dmb = 1;
        else if (!strcmp(argv[3], "nodmb")) use_dmb = 0;
        else { fprintf(stderr, "third argument must be dmb or nodmb\n"); return 2; }
    }
    int npairs = g_threads / 2;
    if (npairs < 1) npairs = 1;
    g_threads = 2 * npairs;
    for (int k = 0; k < npairs; k++) {
        struct lpair *p = &lpairs[k];
        p->x = calloc((size_t)g_iters, sizeof(u32));
        p->y = calloc((size_t)g_iters, sizeof(u32));
        p->res[0] = calloc((size_t)g_iters, sizeof(u32));
        p->res[1] = calloc((size_t)g_iters, sizeof(u32));
        if (!p->x || !p->y || !p->res[0] || !p->res[1]) { fprintf(stderr, "out of memory\n"); return 2; }
        for (u32 i = 0; i < (u32)g_iters; i++) p->res[0][i] = p->res[1][i] = NOTRUN;
    }
    run_threads(g_threads, worker);

    u32 out[4] = {0, 0, 0, 0}, notrun = 0;
    for (int k = 0; k < npairs; k++)
        for (u32 i = 0; i < (u32)g_iters; i++) {
            u32 a = lpairs[k].res[0][i], b = lpairs[k].res[1][i];
            if (a == NOTRUN || b == NOTRUN) { notrun++; continue; }
            out[OUTCOME(a, b) & 3]++;
        }
    int aborted = ld(&g_abort.v) || notrun;
    char obs[256];
    snprintf(obs, sizeof obs, "mode=%s,forbidden=%u,out00=%u,out01=%u,out10=%u,out11=%u,notrun=%u%s",
             use_dmb ? "dmb" : "nodmb", out[FORBIDDEN], out[0], out[1], out[2], out[3], notrun,
             use_dmb ? "" : ",allowed=1");
    result(CASE_NAME, !aborted && (!use_dmb || out[FORBIDDEN] == 0), obs);
    return 0;
}

#endif
