/* treiber-aba: the classic Treiber-stack ABA, forced deterministically.
 * Threads come in pairs (threads/2 pairs, at least one); each pair owns a
 * stack head and three nodes n1, n2, n3, each in its own 64-byte line (plus
 * the handshake flags of handshake.h).  One attempt:
 *
 *   A: head -> n1 -> n2 -> n3 -> 0 (plain stores; B is idle), DMB, then ONE
 *      asm statement:
 *        LDREX h, [head]      ; h == n1
 *        LDR   nx, [h]        ; nx = n1->next == n2
 *        DMB ; STR a, [go] ; DMB
 *        busy-wait on 'done' (plain loads only, no syscall, bounded)
 *        DMB
 *        STREX s, nx, [head]  ; try to install n2 (the LL/SC pop of n1)
 *   B: on go: pop n1; pop n2; push n1 (head -> n1 -> n3), each with
 *      LDREX/STREX; done.
 *
 * B's STREXes are stores to head, so on real LL/SC A's STREX fails in every
 * round (and head -> n1 -> n3 is left as B made it).  A value-comparing
 * STREX sees head == n1 again, succeeds, and makes n2 - which B popped and
 * still holds - the top of the stack (counted as corrupt_heads).  Retry /
 * timeout rules as in handshake.h.
 * pass iff every round was counted, nothing unexpected was seen, and A's
 * STREX failed every time.
 * argv: [threads (pairs = threads/2, default 2)] [rounds per pair, default 300] */
#define CASE_NAME "treiber-aba"
#define DEFAULT_ITERS 300
#include "torture.h"

struct cdata {
    line_u32 head;
    struct { volatile u32 next; char pad[LINE - 4]; } ALIGNED_LINE n[4];  /* n[1..3] used */
};

#define ADDR(d, i) ((u32)(uintptr_t)&(d)->n[i].next)

static inline void setup(struct cdata *d)
{
    st(&d->n[1].next, ADDR(d, 2));
    st(&d->n[2].next, ADDR(d, 3));
    st(&d->n[3].next, 0);
    st(&d->head.v, ADDR(d, 1));
}

static inline u32 window(struct cdata *d, volatile u32 *go, volatile u32 *done,
                         u32 a, u32 *cnt, u32 *bad);

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

/* LL/SC push for B (the window holds no store: next is written first) */
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

static inline int b_action(struct cdata *d)
{
    u32 a = pop_llsc(&d->head.v);
    u32 b = pop_llsc(&d->head.v);
    if (a != ADDR(d, 1) || b != ADDR(d, 2)) return -1;
    return push_llsc(&d->head.v, ADDR(d, 1));
}

/* A's STREX succeeded: did it make n2 (held by B) the top of the stack? */
static inline u32 after_success(struct cdata *d) { return ld(&d->head.v) == ADDR(d, 2); }

/* A's STREX failed: B's result must be intact, head -> n1 -> n3 */
static inline u32 after_failure(struct cdata *d)
{
    return ld(&d->head.v) != ADDR(d, 1) || ld(&d->n[1].next) != ADDR(d, 3);
}

#define EXTRA_NAME "corrupt_heads"
#include "handshake.h"

static inline u32 window(struct cdata *d, volatile u32 *go, volatile u32 *done,
                         u32 a, u32 *cnt, u32 *bad)
{
    u32 h, nx, s, c = *cnt;
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
        : "=&r"(h), "=&r"(nx), "=&r"(s), "+r"(c)
        : "r"(&d->head.v), "r"(go), "r"(a), "r"(done)
        : "memory", "cc");
    *cnt = c;
    *bad = h != ADDR(d, 1) || nx != ADDR(d, 2);
    return s;
}
