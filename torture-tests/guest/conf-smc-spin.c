/* conf-smc-spin: a thread spinning in hot code sees another thread rewrite it.
 * A runner thread calls a loop written into an RWX page (ARM encodings below);
 * the loop counts its iterations in memory and never makes a syscall. Once it
 * has spun long enough to be translator-hot, the main thread patches the
 * loop's `nop` into a branch out, synchronises the instruction cache, then
 * sets a flag the loop reads. The loop returns how many iterations it ran
 * with the flag set: a translator that notices the rewrite at once returns
 * 0 or 1; one that runs its stale translation on returns 0x10000, the bound
 * at which the loop gives up by itself. Several rounds, the code reset
 * between them.  Prints one line, no counts.  Exit 0, or 1 if a round ran stale. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

typedef uint32_t u32;

#define NOP       0xe1a00000u /* mov r0, r0 */
#define B_OUT     0xea000000u /* b .+8: to `out` */
#define PATCH_AT  9           /* word index of the nop */
#define HOT_SPINS 100000      /* iterations before the rewrite (above the hot threshold) */
#define STALE_AT  1000        /* more iterations than this with the flag set: a stale translation ran */

static const u32 loop_code[] = {
    0xe1a01000u, /* 00       mov r1, r0              &shared */
    0xe3a00000u, /* 04       mov r0, #0              iterations with the flag set */
    0xe5912000u, /* 08 loop: ldr r2, [r1]            flag */
    0xe0800002u, /* 0c       add r0, r0, r2 */
    0xe5913004u, /* 10       ldr r3, [r1, #4]        spins */
    0xe2833001u, /* 14       add r3, r3, #1 */
    0xe5813004u, /* 18       str r3, [r1, #4] */
    0xe3500801u, /* 1c       cmp r0, #0x10000        the loop's own bound */
    0x2a000001u, /* 20       bhs out */
    NOP,         /* 24       nop -> b out */
    0xeafffff6u, /* 28       b loop */
    0xe12fff1eu, /* 2c out:  bx lr */
};

static struct { volatile u32 flag, spins; } shared;
static u32 *code;

static void *runner(void *arg)
{
    (void)arg;
    u32 (*fn)(void *) = (u32 (*)(void *))(void *)code;
    return (void *)(uintptr_t)fn((void *)&shared);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { printf("mmap failed\n"); return 1; }
    int stale = 0;
    for (int r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < sizeof loop_code / sizeof loop_code[0]; i++) code[i] = loop_code[i];
        __builtin___clear_cache((char *)code, (char *)(code + sizeof loop_code / sizeof loop_code[0]));
        shared.flag = 0;
        shared.spins = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        pthread_t t;
        if (pthread_create(&t, NULL, runner, NULL) != 0) { printf("pthread_create failed\n"); return 1; }
        while (__atomic_load_n(&shared.spins, __ATOMIC_RELAXED) < HOT_SPINS) sched_yield();
        code[PATCH_AT] = B_OUT;
        __builtin___clear_cache((char *)(code + PATCH_AT), (char *)(code + PATCH_AT + 1));
        __atomic_store_n(&shared.flag, 1, __ATOMIC_SEQ_CST);
        void *ret;
        pthread_join(t, &ret);
        if ((u32)(uintptr_t)ret > STALE_AT) stale++;
    }
    printf("spinning runner saw the rewrite: %d of %d rounds within %d iterations\n", rounds - stale, rounds, STALE_AT);
    return stale != 0;
}
