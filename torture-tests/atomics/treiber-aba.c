/* treiber-aba: the classic Treiber-stack ABA, forced deterministically.
 * Threads come in pairs (threads/2 pairs, at least one); each pair owns a
 * stack head and three nodes n1, n2, n3, each in its own 64-byte line, and
 * two handshake flags (go, done) in further lines.  One round r:
 *
 *   A: head -> n1 -> n2 -> n3 -> 0 (plain stores; B is idle), DMB, then ONE
 *      asm statement:
 *        LDREX h, [head]      ; h == n1
 *        LDR   nx, [h]        ; nx = n1->next == n2
 *        DMB ; STR r, [go] ; DMB
 *        busy-wait on 'done' (plain loads only, no syscall, bounded)
 *        DMB
 *        STREX s, nx, [head]  ; try to install n2
 *   B: wait for go == r; pop n1; pop n2; push n1 (head -> n1 -> n3), each
 *      with LDREX/STREX; DMB; done = r.
 *
 * B's STREXes are stores to head, so on real LL/SC A's STREX fails in every
 * round.  A value-comparing STREX sees head == n1 again, succeeds, and makes
 * n2 - which B popped and still holds - the top of the stack (counted as
 * corrupt_heads).  A round in which B did not answer within the spin limit
 * is a timeout (not counted either way).
 * pass iff every round completed without timeout, bad setup, and A's STREX
 * failed every time.
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 5000] */
#include "torture.h"

#define A_SPIN_LIMIT 200000000u

struct pair {
    line_u32 head, go, done;
    struct { volatile u32 next; char pad[LINE - 4]; } ALIGNED_LINE n[4];  /* n[1..3] used */
    u32 succeeded, failed, timeouts, rounds, corrupt_heads, bad_a, bad_b;
} ALIGNED_LINE;

static struct pair pairs[MAXT / 2];

#define ADDR(p, i) ((u32)(uintptr_t)&(p)->n[i].next)

/* LL/SC pop for B: returns the node popped (0 if empty or stuck). */
static u32 pop_llsc(volatile u32 *head)
{
    for (u32 tries = 0; tries < 1000000; tries++) {
        u32 h, n, s;
        __asm__ volatile(
            "ldrex   %0, [%3]\n\t"
            "cmp     %0, #0\n\t"
            "bne     1f\n\t"
            "clrex\n\t"
            "mov     %2, #2\n\t"
            "b       2f\n"
            "1:\n\t"
            "ldr     %1, [%0]\n\t"
            "strex   %2, %1, [%3]\n"
            "2:\n\t"
            : "=&r"(h), "=&r"(n), "=&r"(s)
            : "r"(head)
            : "memory", "cc");
        if (s == 0) return h;
        if (s == 2) return 0;
        if ((tries & 255) == 255) sched_yield();
    }
    return 0;
}

static int push_llsc(volatile u32 *head, u32 node)
{
    for (u32 tries = 0; tries < 1000000; tries++) {
        u32 h = ld(head);
        st((volatile u32 *)(uintptr_t)node, h);
        dmb();
        if (try_cas(head, h, node) == 0) return 0;
        if ((tries & 255) == 255) sched_yield();
    }
    return -1;
}

static void thread_a(struct pair *p)
{
    u32 n1 = ADDR(p, 1), n2 = ADDR(p, 2), n3 = ADDR(p, 3);
    for (u32 r = 1; r <= (u32)g_iters; r++) {
        if (ld(&g_abort.v)) break;
        st(&p->n[1].next, n2);
        st(&p->n[2].next, n3);
        st(&p->n[3].next, 0);
        st(&p->head.v, n1);
        dmb();
        u32 h, nx, s, cnt = A_SPIN_LIMIT;
        __asm__ volatile(
            "ldrex   %0, [%4]\n\t"
            "ldr     %1, [%0]\n\t"
            "dmb     ish\n\t"
            "str     %6, [%5]\n\t"
            "dmb     ish\n"
            "1:\n\t"
            "ldr     %2, [%7]\n\t"
            "cmp     %2, %6\n\t"
            "beq     2f\n\t"
            "subs    %3, %3, #1\n\t"
            "bne     1b\n"
            "2:\n\t"
            "dmb     ish\n\t"
            "strex   %2, %1, [%4]\n\t"
            : "=&r"(h), "=&r"(nx), "=&r"(s), "+r"(cnt)
            : "r"(&p->head.v), "r"(&p->go.v), "r"(r), "r"(&p->done.v)
            : "memory", "cc");
        if (h != n1 || nx != n2) p->bad_a++;
        if (cnt == 0) {
            p->timeouts++;
            if (wait_eq(&p->done.v, r)) break;
        } else if (s == 0) {
            p->succeeded++;
            if (ld(&p->head.v) == n2) p->corrupt_heads++;   /* B holds n2 */
        } else {
            p->failed++;
            /* B's result must be intact: head -> n1 -> n3 -> 0 */
            if (ld(&p->head.v) != n1 || ld(&p->n[1].next) != n3) p->bad_a++;
        }
        p->rounds++;
    }
}

static void thread_b(struct pair *p)
{
    u32 n1 = ADDR(p, 1), n2 = ADDR(p, 2);
    for (u32 r = 1; r <= (u32)g_iters; r++) {
        if (wait_eq(&p->go.v, r)) break;
        dmb();
        u32 a = pop_llsc(&p->head.v);
        u32 b = pop_llsc(&p->head.v);
        if (a != n1 || b != n2) p->bad_b++;
        if (push_llsc(&p->head.v, n1)) p->bad_b++;
        dmb();
        st(&p->done.v, r);
    }
}

static void *worker(void *arg)
{
    int i = *(int *)arg;
    if (i & 1) thread_b(&pairs[i / 2]); else thread_a(&pairs[i / 2]);
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 2, 5000);
    int npairs = g_threads / 2;
    if (npairs < 1) npairs = 1;
    g_threads = 2 * npairs;
    run_threads(g_threads, worker);
    u32 succ = 0, fail = 0, to = 0, rounds = 0, ch = 0, ba = 0, bb = 0;
    for (int i = 0; i < npairs; i++) {
        struct pair *p = &pairs[i];
        succ += p->succeeded; fail += p->failed; to += p->timeouts; rounds += p->rounds;
        ch += p->corrupt_heads; ba += p->bad_a; bb += p->bad_b;
    }
    int complete = rounds == (u32)npairs * (u32)g_iters && !ld(&g_abort.v);
    char obs[256];
    snprintf(obs, sizeof obs,
             "strex_succeeded=%u,strex_failed=%u,corrupt_heads=%u,timeouts=%u,rounds=%u,bad_a=%u,bad_b=%u,aborted=%u",
             succ, fail, ch, to, rounds, ba, bb, ld(&g_abort.v));
    result("treiber-aba", complete && succ == 0 && to == 0 && ba == 0 && bb == 0, obs);
    return 0;
}
