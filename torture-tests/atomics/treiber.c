/* treiber: a Treiber stack (lock-free LIFO) over a pool of 6 nodes (each in
 * its own 64-byte line), with LL/SC push and pop.  The pop is the textbook
 * LL/SC one, correct only under real LL/SC:
 *
 *     LDREX h, [head] ; (empty? CLREX) ; W-iteration register-only delay ;
 *     LDR   n, [h]    ; h->next
 *     STREX s, n, [head]
 *
 * A value-comparing STREX accepts it when head went n1 -> n2 -> n1 in the
 * meantime (another thread popped n1 and n2 and pushed n1 back), and then
 * installs n2, which that other thread still owns: the classic ABA.
 *
 * Push: h = head; node->next = h; DMB; LDREX head, compare with h, STREX
 * node (the window holds no store).  Each of T threads loops N times: pop a
 * node (waiting, yielding, while the stack is empty), try once to pop a
 * second, hold them briefly, push the first, then the second (so a thread
 * alone performs "pop n1, pop n2, push n1", the ABA pattern).  Every popped
 * node is claimed with an LDREX/STREX exchange of its 'owned' flag 0 -> 1
 * (old value 1 means two threads hold it: corruption; such a node is not
 * pushed back) and an owner tag checked again before the push; 'owned' is
 * cleared with a plain store before the push.  At the end the stack is
 * walked from head with cycle detection: every node must be on it exactly
 * once.  The threads meet at a barrier (no atomics) every CHUNK iterations
 * so that they really run at the same time even on a busy host;
 * concurrent_chunks/chunks say how much they overlapped (torture.h).
 *
 * observed: corruptions = double-owned pops + owner-tag mismatches,
 * lost = pool nodes not on the final stack, dup = nodes reached twice
 * (cycle), invalid = pointers outside the pool, starved = pops that gave up
 * (empty stack or failing STREX for POP_LIMIT turns; the run then stops,
 * aborted=1).  pass iff all are 0.
 * argv: [threads, default 4] [iterations per thread, default 50000]
 *       [window delay W, default 16] */
#include "torture.h"

#define NNODES 6
#define POP_LIMIT 1000000u
#define CHUNK 256          /* all threads meet at a barrier every CHUNK iterations */

struct node {
    volatile u32 next;     /* u32 address of the next node, 0 = end */
    volatile u32 owned;    /* 1 while some thread holds it (LL/SC xchg) */
    volatile u32 owner;    /* thread index + 1 of the holder */
    volatile u32 payload;
} ALIGNED_LINE;

static struct node pool[NNODES];
static line_u32 head;
static u32 window = 16;

struct stats { u32 corrupt, starved, invalid, pops, pop_retries, push_retries, empty_waits; } ALIGNED_LINE;
static struct stats stats[MAXT];
static struct chunker chk[MAXT];

static inline int in_pool(u32 a)
{
    u32 base = (u32)(uintptr_t)&pool[0];
    return a >= base && a < base + sizeof pool && (a - base) % sizeof(struct node) == 0;
}

/* One pop attempt.  Returns the node address with *s = 0, or *s = 1 (STREX
 * failed) or *s = 2 (stack empty, CLREX executed). */
static inline u32 pop_once(u32 *s)
{
    u32 h, n, st_, d;
    __asm__ volatile(
        "ldrex   %0, [%4]\n\t"
        "cmp     %0, #0\n\t"
        "bne     1f\n\t"
        "clrex\n\t"
        "mov     %2, #2\n\t"
        "b       3f\n"
        "1:\n\t"
        "movs    %3, %5\n\t"
        "beq     2f\n"
        "4:\n\t"
        "subs    %3, %3, #1\n\t"
        "bne     4b\n"
        "2:\n\t"
        "ldr     %1, [%0]\n\t"
        "strex   %2, %1, [%4]\n"
        "3:\n\t"
        : "=&r"(h), "=&r"(n), "=&r"(st_), "=&r"(d)
        : "r"(&head.v), "r"(window)
        : "memory", "cc");
    *s = st_;
    return h;
}

/* Pop; if 'block', wait (yielding) while empty.  Returns 0 if nothing. */
static u32 pop(struct stats *S, int block)
{
    u32 tries = 0, waits = 0;
    for (;;) {
        u32 s, h = pop_once(&s);
        if (s == 0) { dmb(); S->pops++; return h; }
        if (s == 2) {
            if (!block) return 0;
            S->empty_waits++;
            if (ld(&g_abort.v)) return 0;
            if (++waits >= POP_LIMIT) { S->starved++; st(&g_abort.v, 1); return 0; }
            if (waits >= 64) sched_yield();
            continue;
        }
        S->pop_retries++;
        if (++tries >= POP_LIMIT) { S->starved++; st(&g_abort.v, 1); return 0; }
        if ((tries & 255) == 255) sched_yield();
    }
}

static void push(struct stats *S, struct node *nd)
{
    u32 a = (u32)(uintptr_t)nd;
    for (u32 tries = 0; tries < POP_LIMIT; tries++) {
        u32 h = ld(&head.v);
        st(&nd->next, h);
        dmb();
        if (try_cas(&head.v, h, a) == 0) return;
        S->push_retries++;
        if ((tries & 255) == 255) sched_yield();
    }
    st(&g_abort.v, 1);
}

/* Claim a popped node.  Returns it, or NULL if it was already owned. */
static struct node *claim(struct stats *S, u32 a, u32 me)
{
    if (!a) return NULL;
    if (!in_pool(a)) { S->invalid++; st(&g_abort.v, 1); return NULL; }
    struct node *nd = (struct node *)(uintptr_t)a;
    u32 f = 0;
    if (xchg_llsc(&nd->owned, 1, &f) != 0) { S->corrupt++; return NULL; }
    st(&nd->owner, me);
    return nd;
}

static void release_node(struct stats *S, struct node *nd, u32 me)
{
    if (!nd) return;
    if (ld(&nd->owner) != me) S->corrupt++;
    st(&nd->owned, 0);
    dmb();
    push(S, nd);
}

static void *worker(void *arg)
{
    int self = *(int *)arg;
    u32 me = (u32)self + 1, seed = 0x2545f491u * me;
    struct stats *S = &stats[self];
    for (int i = 0; i < g_iters && !ld(&g_abort.v); i++) {
        if (chunk_point(&chk[self], self, i, CHUNK)) break;
        struct node *a = claim(S, pop(S, 1), me);
        struct node *b = claim(S, pop(S, 0), me);
        u32 hold = xorshift(&seed) & 15;
        for (u32 k = 0; k < hold; k++) {
            if (a) st(&a->payload, ld(&a->payload) + me);
            if (b) st(&b->payload, ld(&b->payload) + me);
        }
        release_node(S, a, me);
        release_node(S, b, me);
        chunk_tick(self, i);
    }
    chunk_end(&chk[self], self);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 4, 50000);
    if (argc > 3) {
        char *e;
        long w = strtol(argv[3], &e, 10);
        if (*e || w < 0 || w > 100000) { fprintf(stderr, "bad window '%s'\n", argv[3]); return 2; }
        window = (u32)w;
    }
    /* head -> pool[0] -> pool[1] -> ... -> pool[NNODES-1] -> 0 */
    for (int i = 0; i < NNODES; i++)
        pool[i].next = i + 1 < NNODES ? (u32)(uintptr_t)&pool[i + 1] : 0;
    head.v = (u32)(uintptr_t)&pool[0];
    run_threads(g_threads, worker);

    u32 corrupt = 0, starved = 0, invalid = 0, pops = 0, pret = 0, uret = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        cc += chk[i].concurrent; ch += chk[i].chunks;
        corrupt += stats[i].corrupt; starved += stats[i].starved; invalid += stats[i].invalid;
        pops += stats[i].pops; pret += stats[i].pop_retries; uret += stats[i].push_retries;
    }
    /* walk the final stack */
    int seen[NNODES] = {0};
    u32 distinct = 0, dup = 0, owned_left = 0;
    u32 a = ld(&head.v);
    for (int steps = 0; a && steps <= NNODES; steps++) {
        if (!in_pool(a)) { invalid++; break; }
        int k = (int)((a - (u32)(uintptr_t)&pool[0]) / sizeof(struct node));
        if (seen[k]++) { dup++; break; }      /* cycle: stop */
        distinct++;
        if (ld(&pool[k].owned)) owned_left++;
        a = ld(&pool[k].next);
    }
    u32 lost = NNODES - distinct;
    char obs[300];
    snprintf(obs, sizeof obs,
             "corruptions=%u,lost=%u,dup=%u,invalid=%u,starved=%u,owned_left=%u,pops=%u,pop_retries=%u,push_retries=%u,window=%u,concurrent_chunks=%u,chunks=%u,aborted=%u",
             corrupt, lost, dup, invalid, starved, owned_left, pops, pret, uret, window, cc, ch, ld(&g_abort.v));
    result("treiber", !corrupt && !lost && !dup && !invalid && !starved && !owned_left && !ld(&g_abort.v), obs);
    return 0;
}
