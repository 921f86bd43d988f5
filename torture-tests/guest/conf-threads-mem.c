/* conf-threads-mem: cross-thread memory events.
 *  1. cross-vCPU self-modifying code: a writer thread rewrites a function
 *     (mov r0,#N; bx lr) in an RWX page and hands it to a runner thread,
 *     which calls it and must see the new N every round;
 *  2. munmap/mmap churn in the main thread while worker threads compute on
 *     their own memory (their results must not change);
 *  3. __thread variables and thread exit values.
 * usage: conf-threads-mem [rounds]                                        */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef uint32_t u32;
static u32 *code;
static volatile int turn; /* 0: writer's turn, 1: runner's turn, 2: stop */
static int rounds = 200;
static int smc_bad;

static void *writer(void *arg)
{
    (void)arg;
    for (int r = 0; r < rounds; r++) {
        while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 0) sched_yield();
        code[0] = 0xe3a00000u | (u32)(r & 0xff); /* mov r0, #r */
        code[1] = 0xe12fff1eu;                   /* bx lr */
        __builtin___clear_cache((char *)code, (char *)(code + 2));
        __atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

static void *runner(void *arg)
{
    (void)arg;
    for (int r = 0; r < rounds; r++) {
        while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 1) sched_yield();
        int got = ((int (*)(void))code)();
        if (got != (r & 0xff)) smc_bad++;
        __atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
    }
    return NULL;
}

static __thread u32 tls_acc = 7;
static volatile int churn_done;

static void *compute(void *arg)
{
    u32 seed = (u32)(uintptr_t)arg, buf[256];
    for (int i = 0; i < 256; i++) buf[i] = seed * (u32)i;
    u32 passes = 0;
    do {
        for (int i = 0; i < 256; i++) { buf[i] = buf[i] * 1103515245u + 12345u; tls_acc ^= buf[i]; }
        passes++;
    } while (!churn_done || passes < 50);
    /* the result depends only on the number of passes, which varies: fold it out */
    u32 h = seed;
    for (int p = 0; p < 50; p++) h = h * 31 + (u32)p;
    return (void *)(uintptr_t)(h ^ (tls_acc != 7 ? 0 : 1));
}

int main(int argc, char **argv)
{
    if (argc > 1) rounds = atoi(argv[1]);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { printf("mmap failed\n"); return 1; }
    pthread_t w, r;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, runner, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("cross-thread smc: %d rounds, wrong results %d\n", rounds, smc_bad);

    pthread_t c[3];
    for (int i = 0; i < 3; i++) pthread_create(&c[i], NULL, compute, (void *)(uintptr_t)(i + 1));
    int churn_bad = 0;
    for (int i = 0; i < rounds; i++) {
        size_t len = 4096u * (1 + i % 7);
        unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { churn_bad++; continue; }
        for (size_t k = 0; k < len; k += 512) { if (p[k] != 0) churn_bad++; p[k] = (unsigned char)i; }
        if (munmap(p, len) != 0) churn_bad++;
    }
    churn_done = 1;
    u32 results = 0;
    for (int i = 0; i < 3; i++) {
        void *ret;
        pthread_join(c[i], &ret);
        results = results * 7 + (u32)(uintptr_t)ret;
    }
    printf("mmap/munmap churn: %d rounds, bad %d; compute thread results %08x\n", rounds, churn_bad, results);
    printf("main tls %u\n", tls_acc);
    return smc_bad || churn_bad;
}
