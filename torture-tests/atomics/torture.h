/* torture.h: shared helpers for the atomic torture programs (mttcg-lab).
 *
 * Every shared-memory access in these programs goes through volatile
 * pointers or inline asm, so the compiler emits exactly one LDR/STR per
 * access and never merges, hoists or tears them.  Exclusive sequences
 * (LDREX...STREX) are always one asm statement, so no compiler-generated
 * spill or reload can land between the LDREX and the STREX.
 *
 * Nothing here uses an exclusive or atomic instruction except the helpers
 * whose name says so: the barriers, the handshake flags and all waits
 * are plain loads and stores with DMB, so they keep working when the
 * emulated atomics are broken (the point of the suite is to measure those).
 *
 * Every wait is bounded (a spin count, then the abort flag is set and the
 * program reports instead of hanging) and, after a short pure spin, yields
 * the CPU (sched_yield) every 64 spins, except the deliberately
 * syscall-free wait inside a LDREX..STREX window (handshake.h), which is
 * bounded by its spin count alone.
 */
#ifndef TORTURE_H
#define TORTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>

typedef uint32_t u32;
typedef uint64_t u64;

#define UNUSED __attribute__((unused))
#define LINE 64
#define ALIGNED_LINE __attribute__((aligned(LINE)))

/* One word alone in a 64-byte line. */
typedef struct { volatile u32 v; char pad[LINE - sizeof(u32)]; } ALIGNED_LINE line_u32;

/* ------------------------------------------------------------------ */
/* barriers and plain accesses                                         */

static inline void dmb(void) { __asm__ volatile("dmb ish" ::: "memory"); }
static inline void clrex(void) { __asm__ volatile("clrex" ::: "memory"); }
static inline u32 ld(const volatile u32 *p) { return *p; }
static inline void st(volatile u32 *p, u32 v) { *p = v; }

/* ------------------------------------------------------------------ */
/* exclusive helpers: each is ONE asm statement                        */

/* One LDREX/ADD/STREX attempt.  Returns the STREX status (0 = stored). */
static inline u32 try_add(volatile u32 *p, u32 inc)
{
    u32 v, status;
    __asm__ volatile(
        "ldrex   %0, [%2]\n\t"
        "add     %0, %0, %3\n\t"
        "strex   %1, %0, [%2]\n\t"
        : "=&r"(v), "=&r"(status)
        : "r"(p), "r"(inc)
        : "memory", "cc");
    return status;
}

/* One attempt to change *p from 'expect' to 'want' with LDREX/STREX.
 * Returns 0 if stored, 1 if STREX failed, 2 if the loaded value was not
 * 'expect' (then CLREX was executed and nothing was stored). */
static inline u32 try_cas(volatile u32 *p, u32 expect, u32 want)
{
    u32 v, status;
    __asm__ volatile(
        "ldrex   %0, [%2]\n\t"
        "cmp     %0, %3\n\t"
        "bne     1f\n\t"
        "strex   %1, %4, [%2]\n\t"
        "b       2f\n"
        "1:\n\t"
        "clrex\n\t"
        "mov     %1, #2\n"
        "2:\n\t"
        : "=&r"(v), "=&r"(status)
        : "r"(p), "r"(expect), "r"(want)
        : "memory", "cc");
    return status;
}

/* Atomic exchange with a LDREX/STREX retry loop (bounded).  Returns the
 * old value; *failures counts STREX failures. */
static inline u32 xchg_llsc(volatile u32 *p, u32 want, u32 *failures)
{
    for (u32 tries = 0;; tries++) {
        u32 old, status;
        __asm__ volatile(
            "ldrex   %0, [%2]\n\t"
            "strex   %1, %3, [%2]\n\t"
            : "=&r"(old), "=&r"(status)
            : "r"(p), "r"(want)
            : "memory");
        if (status == 0) return old;
        (*failures)++;
        if ((tries & 255) == 255) sched_yield();
        if (tries > 1000000) return 0xdeadbeef; /* broken STREX: give up */
    }
}

/* SWP r1, r2, [r0], emitted as an instruction word (.inst) because gas
 * warns that SWP is deprecated on ARMv7.  Encoding (ARM ARM A8.8.229):
 * cond=1110 00010 B=0 00 Rn=0000 Rt=0001 0000 1001 Rt2=0010 = 0xe1001092
 * (arm-linux-gnueabi-objdump -d shows "swp r1, r2, [r0]"). */
static inline u32 swp(volatile u32 *p, u32 v)
{
    register u32 r0 __asm__("r0") = (u32)(uintptr_t)p;
    register u32 r2 __asm__("r2") = v;
    register u32 r1 __asm__("r1");
    __asm__ volatile(".inst 0xe1001092 @ swp r1, r2, [r0]"
                     : "=&r"(r1) : "r"(r0), "r"(r2) : "memory");
    return r1;
}

/* ------------------------------------------------------------------ */
/* arguments and result line                                           */

static int g_threads UNUSED, g_iters UNUSED;

/* argv: [threads] [iterations].  Exits 2 on malformed arguments. */
static inline void parse_args(int argc, char **argv, int def_threads, int def_iters)
{
    g_threads = def_threads;
    g_iters = def_iters;
    if (argc > 1) {
        char *e;
        long t = strtol(argv[1], &e, 10);
        if (*e || t < 1 || t > 64) { fprintf(stderr, "bad threads '%s' (1..64)\n", argv[1]); exit(2); }
        g_threads = (int)t;
    }
    if (argc > 2) {
        char *e;
        long n = strtol(argv[2], &e, 10);
        if (*e || n < 1 || n > 100000000) { fprintf(stderr, "bad iterations '%s' (1..1e8)\n", argv[2]); exit(2); }
        g_iters = (int)n;
    }
}

/* The single machine-readable line.  'observed' is k=v,k=v (no spaces). */
static inline void result(const char *name, int pass, const char *observed)
{
    printf("RESULT case=%s status=%s observed=%s threads=%d iters=%d\n",
           name, pass ? "pass" : "fail", observed, g_threads, g_iters);
    fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* threads                                                             */

#define MAXT 64
static pthread_t g_tid[MAXT] UNUSED;
static int g_idx[MAXT] UNUSED;

static inline void run_threads(int n, void *(*fn)(void *))
{
    for (int i = 0; i < n; i++) {
        g_idx[i] = i;
        if (pthread_create(&g_tid[i], NULL, fn, &g_idx[i])) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2);
        }
    }
    for (int i = 0; i < n; i++) pthread_join(g_tid[i], NULL);
}

/* ------------------------------------------------------------------ */
/* bounded waits (plain loads; after SPIN_PURE spins, yield every 64)   */

#define WAIT_LIMIT (1u << 24)      /* ~16M checks, ~260k sched_yield calls */
#define SPIN_PURE  2048u           /* busy spins before the first yield: a
                                      partner running on another CPU answers
                                      within microseconds, and yielding at
                                      once costs a whole time slice when the
                                      host CPUs are shared with other jobs */

#ifdef TORTURE_PROCESSES
/* The helpers' own state (abort flag, barrier and progress words) in memory
 * the program maps MAP_SHARED before it forks its workers (fork-counter):
 * the workers are processes, not threads. */
struct torture_state { line_u32 abort, arrive[MAXT], progress[MAXT]; };
static struct torture_state *g_state;
#define g_abort (g_state->abort)
#define g_arrive (g_state->arrive)
#define g_progress (g_state->progress)
#else
static line_u32 g_abort UNUSED;           /* set when some wait gave up */
#endif

/* Wait until *p == v.  Returns 0, or -1 on timeout / abort. */
static inline int wait_eq(const volatile u32 *p, u32 v)
{
    for (u32 i = 0; i < WAIT_LIMIT; i++) {
        if (ld(p) == v) { dmb(); return 0; }
        if (ld(&g_abort.v)) return -1;
        if (i >= SPIN_PURE && (i & 63) == 63) sched_yield();
    }
    st(&g_abort.v, 1);
    return -1;
}

/* Start barrier without atomics: every thread publishes its arrival count
 * in its own line and waits until every slot has reached it. */
#ifndef TORTURE_PROCESSES
static line_u32 g_arrive[MAXT] UNUSED;
#endif

static inline int barrier(int self, int n, u32 gen)
{
    dmb();
    st(&g_arrive[self].v, gen);
    dmb();
    for (int j = 0; j < n; j++) {
        u32 i = 0;
        while ((int32_t)(ld(&g_arrive[j].v) - gen) < 0) {
            if (ld(&g_abort.v)) return -1;
            if (++i >= WAIT_LIMIT) { st(&g_abort.v, 1); return -1; }
            if (i >= SPIN_PURE && (i & 63) == 63) sched_yield();
        }
    }
    dmb();
    return 0;
}

/* Chunked loops with a concurrency measure.  The counting programs run
 * their N iterations in chunks; all threads meet at barrier() before every
 * chunk, so that they really run at the same time even when the host CPUs
 * are shared with other work (otherwise a thread can finish its whole loop
 * inside one host time slice and a broken atomic goes unnoticed).  Each
 * thread publishes its iteration count in its own line (plain store) and a
 * chunk counts as "concurrent" when some other thread's count moved while
 * this thread ran the chunk.  concurrent_chunks == 0 means the run never
 * overlapped, so it could not have caught a race. */
#ifndef TORTURE_PROCESSES
static line_u32 g_progress[MAXT] UNUSED;
#endif

struct chunker { u32 snap, open, chunks, concurrent; };

static inline u32 others_progress(int self)
{
    u32 s = 0;
    for (int j = 0; j < g_threads; j++)
        if (j != self) s += ld(&g_progress[j].v);
    return s;
}

/* Call at the top of iteration i.  Returns -1 if the run was aborted. */
static inline int chunk_point(struct chunker *c, int self, int i, int chunk)
{
    if (i % chunk) return 0;
    if (c->open) { c->concurrent += others_progress(self) != c->snap; c->open = 0; }
    if (barrier(self, g_threads, 1 + (u32)(i / chunk))) return -1;
    c->chunks++;
    c->open = 1;
    c->snap = others_progress(self);
    return 0;
}

/* Call after iteration i's work. */
static inline void chunk_tick(int self, int i) { st(&g_progress[self].v, (u32)i + 1); }

/* Call after the loop. */
static inline void chunk_end(struct chunker *c, int self)
{
    if (c->open) { c->concurrent += others_progress(self) != c->snap; c->open = 0; }
}

/* per-thread xorshift32 */
static inline u32 xorshift(u32 *s)
{
    u32 x = *s;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

#endif
