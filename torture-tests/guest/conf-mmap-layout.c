/* conf-mmap-layout: where mmap puts regions in the 32-bit address space, as
 * qemu-arm 7.2 does it (mttcg-lab, issue 13 item 4).
 *
 * 1. Maps 1536, 1024, 512, 256 and 100 MiB (no hint) and prints each
 *    address: the first is too big for the space below the main stack and
 *    lands above it, the next ones fill the space downwards.  Touches the
 *    first and last byte of each (frames are only allocated when touched, so
 *    this needs a few KiB of guest memory, not 3.4 GiB).
 * 2. A fifth region that cannot fit (2048 MiB after the rest) fails with
 *    ENOMEM.
 * 3. Unmaps everything, then maps 3000 MiB in one piece.
 * 4. A free hint is taken as given; an occupied hint searches downwards
 *    from it.
 * 5. 8 threads with glibc's default 8 MiB stacks, all alive at once,
 *    each printing nothing but returning its stack page's distance from the
 *    previous one (the stacks are stacked downwards, 8 MiB + 4 KiB apart).
 * Prints addresses in hex; exit 0.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define MIB (1024u * 1024u)

static void *map(size_t len, void *hint)
{
    return mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void touch(volatile uint8_t *p, size_t len)
{
    p[0] = 1;
    p[len - 1] = 2;
    if (p[0] != 1 || p[len - 1] != 2) printf("WRONG contents at %p\n", (void *)p);
}

static pthread_barrier_t barrier;

static void *thread_main(void *arg)
{
    int local;
    pthread_barrier_wait(&barrier);
    *(uintptr_t *)arg = (uintptr_t)&local;
    return 0;
}

int main(void)
{
    static const unsigned sizes[] = {1536, 1024, 512, 256, 100};
    void *regions[5];
    for (int i = 0; i < 5; i++) {
        regions[i] = map(sizes[i] * MIB, 0);
        if (regions[i] == MAP_FAILED) {
            printf("mmap %u MiB: failed (%s)\n", sizes[i], strerror(errno));
            continue;
        }
        printf("mmap %u MiB: %p\n", sizes[i], regions[i]);
        touch(regions[i], sizes[i] * MIB);
    }
    void *too_big = map(2048u * MIB, 0);
    printf("mmap 2048 MiB more: %s\n", too_big == MAP_FAILED ? strerror(errno) : "mapped (WRONG)");

    for (int i = 0; i < 5; i++) if (regions[i] != MAP_FAILED) munmap(regions[i], sizes[i] * MIB);
    void *whole = map(3000u * MIB, 0);
    printf("mmap 3000 MiB after unmapping: %p\n", whole);
    if (whole != MAP_FAILED) {
        touch(whole, 3000u * MIB);
        munmap(whole, 3000u * MIB);
    }

    void *hint = (void *)0x20000000;
    void *at = map(MIB, hint);
    printf("free hint %p: %p\n", hint, at);
    void *again = map(MIB, hint);
    printf("occupied hint %p: %p\n", hint, again);
    munmap(at, MIB);
    munmap(again, MIB);

    enum { T = 8 };
    pthread_t th[T];
    uintptr_t sp[T];
    pthread_barrier_init(&barrier, 0, T);
    for (int i = 0; i < T; i++) {
        if (pthread_create(&th[i], 0, thread_main, &sp[i])) { printf("pthread_create %d failed\n", i); return 1; }
    }
    for (int i = 0; i < T; i++) pthread_join(th[i], 0);
    for (int i = 1; i < T; i++) {
        long apart = (long)(sp[i - 1] >> 12) - (long)(sp[i] >> 12);
        printf("thread %d stack: %ld pages below thread %d's\n", i, apart, i - 1);
    }
    return 0;
}
