/* treiber-stack: a lock-free LIFO (Treiber stack) shared by all threads.
 * usage: treiber-stack threads ops-per-thread
 * The pool has 2 * threads + 2 nodes, one per 64-byte line, so the stack
 * never runs empty while the atomics work.  One op = pop a node, bump the
 * node's own counter (plain; the popper owns it), push it back.
 *
 * The head is a 64-bit word {node index + 1 (0 = empty), tag}, and both
 * pop and push replace it whole, incrementing the tag: LDREXD/STREXD on
 * ARM, a 64-bit `lock cmpxchg` on x86-64.  With the tag the pop is ABA-safe
 * even where a store-conditional only compares values (the cmpxchg and
 * stop-the-world strategies, qemu-arm, a host CAS), so every correct
 * strategy passes the check and the figures are costs, not failures.  The
 * tag-less LL/SC pop that is correct only under real LL/SC is a torture
 * case (torture-tests/atomics/treiber.c), not a benchmark.
 *
 * A failure (BENCH fails=) is a pop or push that lost its STREXD or CAS.
 * Check: at the end every node is on the stack exactly once and the node
 * counters sum to the ops executed (timed and warm-up).  A pop that finds the stack
 * empty (possible only when the atomics are broken) waits, and gives up
 * after EMPTY_LIMIT tries, so a broken strategy fails instead of hanging. */
#include "bench.h"

#define MAX_NODES (2 * BENCH_MAXT + 2)
#define EMPTY_LIMIT 1000000u

static struct node {
    volatile uint32_t next;      /* index + 1 of the next node, 0 = end */
    volatile uint32_t count;
} BENCH_ALIGNED pool[MAX_NODES];

static volatile uint64_t head BENCH_ALIGNED;
static volatile uint32_t gave_up;
static uint32_t nodes;

#define IDX(h) ((uint32_t)(h))
#define TAG(h) ((uint32_t)((h) >> 32))
#define HEAD(i, t) ((uint64_t)(t) << 32 | (i))

/* One pop attempt: 0 = popped (*out = index + 1), 1 = lost a race, 2 = empty. */
static inline uint32_t pop_once(uint32_t *out)
{
#ifdef __arm__
    uint64_t h, nh;
    uint32_t status, addr;
    __asm__ volatile(
        "ldrexd  %0, %H0, [%4]\n\t"
        "cmp     %0, #0\n\t"
        "bne     1f\n\t"
        "clrex\n\t"
        "mov     %2, #2\n\t"
        "b       2f\n"
        "1:\n\t"
        "sub     %3, %0, #1\n\t"
        "add     %3, %5, %3, lsl #6\n\t"   /* &pool[index]: nodes are 64 bytes */
        "ldr     %1, [%3]\n\t"             /* ->next */
        "add     %H1, %H0, #1\n\t"
        "strexd  %2, %1, %H1, [%4]\n"
        "2:\n\t"
        : "=&r"(h), "=&r"(nh), "=&r"(status), "=&r"(addr)
        : "r"(&head), "r"(pool)
        : "memory", "cc");
    *out = IDX(h);
    return status;
#else
    uint64_t h = __atomic_load_n(&head, __ATOMIC_ACQUIRE);
    if (!IDX(h)) return 2;
    uint64_t nh = HEAD(pool[IDX(h) - 1].next, TAG(h) + 1);
    *out = IDX(h);
    return __atomic_compare_exchange_n(&head, &h, nh, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) ? 0 : 1;
#endif
}

/* One push attempt of node index + 1 = n: 0 = pushed, 1 = lost a race. */
static inline uint32_t push_once(uint32_t n)
{
    volatile uint32_t *next = &pool[n - 1].next;
#ifdef __arm__
    uint64_t h, nh;
    uint32_t status;
    __asm__ volatile(
        "ldrexd  %0, %H0, [%3]\n\t"
        "str     %0, [%4]\n\t"             /* node->next = head (the node is ours) */
        "mov     %1, %5\n\t"
        "add     %H1, %H0, #1\n\t"
        "strexd  %2, %1, %H1, [%3]\n\t"
        : "=&r"(h), "=&r"(nh), "=&r"(status)
        : "r"(&head), "r"(next), "r"(n)
        : "memory", "cc");
    return status;
#else
    uint64_t h = __atomic_load_n(&head, __ATOMIC_RELAXED);
    *next = IDX(h);
    return __atomic_compare_exchange_n(&head, &h, HEAD(n, TAG(h) + 1), 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED) ? 0 : 1;
#endif
}

static BENCH_HOT uint64_t body(int self, uint64_t from, uint64_t to, int timed)
{
    (void)timed;
    uint64_t failed = 0;
    for (uint64_t i = from; i < to; i++) {
        uint32_t n = 0, empty = 0, spins = 0, r;
        while ((r = pop_once(&n)) != 0) {
            if (r == 2) {
                if (++empty >= EMPTY_LIMIT || ld32(&gave_up)) { st32(&gave_up, 1); bench_failed(self, failed); return 0; }
                bench_relax(&spins);
            } else failed++;
        }
        bench_dmb();
        pool[n - 1].count = pool[n - 1].count + 1;
        bench_dmb();
        while (push_once(n)) failed++;
    }
    bench_failed(self, failed);
    return 0;
}

int main(int argc, char **argv)
{
    bench_args(argc, argv, "threads ops-per-thread");
    if (bench_variant) { fprintf(stderr, "treiber-stack takes no variant\n"); return 2; }
    bench_fails_measured = 1;
    nodes = 2 * (uint32_t)bench_threads + 2;
    for (uint32_t i = 0; i < nodes; i++) pool[i].next = i;    /* node i+1 -> node i (index i) */
    head = HEAD(nodes, 0);
    uint64_t unused;
    uint64_t ns = bench_run(body, &unused);

    uint64_t sum = 0, hash = 1469598103934665603ull;
    uint32_t seen[MAX_NODES] = { 0 }, walked = 0, bad = 0;
    for (uint32_t n = IDX(head); n && walked <= nodes; n = pool[n - 1].next, walked++) {
        if (n > nodes || seen[n - 1]++) { bad = 1; break; }
    }
    for (uint32_t i = 0; i < nodes; i++) {
        sum += pool[i].count;
        hash = (hash ^ pool[i].count) * 1099511628211ull;
    }
    uint64_t want = bench_executed();
    int pass = !bad && walked == nodes && sum == want && !gave_up;
    int status = bench_report("treiber-stack", ns, hash, pass);
    if (status)
        fprintf(stderr, "treiber-stack: %u of %u nodes on the final stack%s, counts sum to %llu (expected %llu)%s\n",
                walked, nodes, bad ? " (a node twice or out of range)" : "", (unsigned long long)sum,
                (unsigned long long)want, gave_up ? ", a pop gave up on an empty stack" : "");
    return status;
}
