/* mmap-churn: threads that map, protect and unmap pages beside running code
 * (mttcg-lab, issue 23 item 4: address-space changes and code-page writes
 * must cost about what they cost under qemu-arm, not a full TLB flush on
 * every vCPU or a retranslation of every block).
 *
 * Usage: mmap-churn [threads] [iterations]
 *
 * Each thread owns one read-write-execute page holding a tiny function
 * ("add r0, r0, #1; bx lr") and data beside it on the same page.  Every
 * iteration it:
 *   1. maps two anonymous pages, writes them, runs some compute, makes the
 *      first read-only (mprotect), reads it back and unmaps both;
 *   2. calls the function on its code page and stores the result in the
 *      data beside it (a store to a page that holds translated code);
 *   3. every 8th iteration, maps a fresh executable page, writes a function
 *      into it, flushes the cache (cacheflush), calls it and unmaps it.
 * The main thread waits for all and prints one line:
 *   RESULT workload=mmap-churn threads=T iters=N checksum=HEX
 * The checksum depends only on T and N (the same under every emulator).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define MAXT 64
#define PAGE 4096u

static int iters;

static uint32_t work(uint32_t x, int n)
{
    for (int i = 0; i < n; i++) x = x * 1103515245u + 12345u + (x >> 7);
    return x;
}

static void *map_or_die(size_t len, int prot)
{
    void *p = mmap(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    return p;
}

static void *thread_main(void *arg)
{
    uint32_t sum = (uint32_t)(uintptr_t)arg;
    uint32_t *code = map_or_die(PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
    code[0] = 0xe2800001u; /* add r0, r0, #1 */
    code[1] = 0xe12fff1eu; /* bx lr */
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    volatile uint32_t *beside = code + PAGE / 8; /* the second half of the code page */
    uint32_t (*fn)(uint32_t) = (uint32_t (*)(uint32_t))code;

    for (int i = 0; i < iters; i++) {
        uint32_t *p = map_or_die(2 * PAGE, PROT_READ | PROT_WRITE);
        for (int k = 0; k < 64; k++) p[k * 16] = sum + k;
        p[PAGE / 4] = sum;
        sum = work(sum, 200);
        if (mprotect(p, PAGE, PROT_READ)) { perror("mprotect"); exit(2); }
        for (int k = 0; k < 64; k++) sum += p[k * 16];
        if (munmap(p, 2 * PAGE)) { perror("munmap"); exit(2); }

        sum = fn(sum);
        beside[i & 63] = sum;

        if ((i & 7) == 0) {
            uint32_t *jit = map_or_die(PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
            jit[0] = 0xe2800000u | (uint32_t)(i & 0xff); /* add r0, r0, #(i & 0xff) */
            jit[1] = 0xe12fff1eu;
            __builtin___clear_cache((char *)jit, (char *)(jit + 2));
            sum += ((uint32_t (*)(uint32_t))jit)(sum);
            if (munmap(jit, PAGE)) { perror("munmap"); exit(2); }
        }
    }
    for (int k = 0; k < 64; k++) sum ^= beside[k];
    return (void *)(uintptr_t)sum;
}

int main(int argc, char **argv)
{
    int t = argc > 1 ? atoi(argv[1]) : 4;
    iters = argc > 2 ? atoi(argv[2]) : 20000;
    if (t < 1 || t > MAXT || iters < 0) { fprintf(stderr, "usage: mmap-churn [threads 1..%d] [iterations]\n", MAXT); return 2; }
    pthread_t th[MAXT];
    uint32_t checksum = 0;
    for (int i = 0; i < t; i++) {
        if (pthread_create(&th[i], 0, thread_main, (void *)(uintptr_t)(i + 1))) { fprintf(stderr, "pthread_create failed\n"); return 2; }
    }
    for (int i = 0; i < t; i++) {
        void *r;
        pthread_join(th[i], &r);
        checksum = checksum * 31u + (uint32_t)(uintptr_t)r;
    }
    printf("RESULT workload=mmap-churn threads=%d iters=%d checksum=%08x\n", t, iters, checksum);
    return 0;
}
