/* fork-counter: atomics across processes. T processes (forked, not
 * threads) share one MAP_SHARED anonymous region and each, N times, adds 1
 * to a word with a LDREX/ADD/STREX retry loop and enters a LDREX/STREX
 * test-and-set spinlock to increment a plain counter and an occupancy word
 * (lockcount.h's critical section). Processes have their own page tables,
 * TLBs and translations but the same frames, so every strategy must keep
 * its guarantee across them (issue 22 item 3). The processes meet at
 * torture.h's chunk barrier, its words in the shared region too
 * (TORTURE_PROCESSES), so concurrent_chunks says how much they overlapped.
 * pass iff total == T*N, counter == T*N, no overlap inside the lock and no
 * give-up. argv: [processes, default 4] [iterations each, default 100000] */
#define TORTURE_PROCESSES
#include "torture.h"
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ADD_LIMIT 1000000u
#define LOCK_LIMIT (1u << 24)
#define CHUNK 512

struct shared {
    struct torture_state helpers;
    line_u32 total, lock_word, counter, occupancy;
    u32 retries[MAXT], giveups[MAXT], overlaps[MAXT], lock_giveups[MAXT];
    struct chunker chk[MAXT];
};
static struct shared *sh;

/* LDREX/STREX test-and-set; 0 when held (ends with DMB), -1 after LOCK_LIMIT tries. */
static int acquire(volatile u32 *lock)
{
    for (u32 n = 0; n < LOCK_LIMIT; n++) {
        if (ld(lock) == 0 && try_cas(lock, 0, 1) == 0) { dmb(); return 0; }
        if (n >= SPIN_PURE && (n & 63) == 63) sched_yield();
    }
    return -1;
}

static void worker(int self)
{
    for (int i = 0; i < g_iters; i++) {
        if (chunk_point(&sh->chk[self], self, i, CHUNK)) break;
        u32 fails = 0;
        while (try_add(&sh->total.v, 1) != 0) {
            if (++fails >= ADD_LIMIT) { sh->giveups[self]++; st(&g_abort.v, 1); break; }
            if ((fails & 255) == 255) sched_yield();
        }
        sh->retries[self] += fails;
        if (acquire(&sh->lock_word.v)) { sh->lock_giveups[self]++; st(&g_abort.v, 1); break; }
        u32 o = ld(&sh->occupancy.v);
        st(&sh->occupancy.v, o + 1);
        if (o != 0) sh->overlaps[self]++;
        st(&sh->counter.v, ld(&sh->counter.v) + 1);
        o = ld(&sh->occupancy.v);
        st(&sh->occupancy.v, o - 1);
        if (o != 1) sh->overlaps[self]++;
        dmb();
        st(&sh->lock_word.v, 0);
        chunk_tick(self, i);
    }
    chunk_end(&sh->chk[self], self);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 4, 100000);
    sh = mmap(0, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) { perror("mmap"); return 2; }
    g_state = &sh->helpers;
    fflush(stdout);
    pid_t pids[MAXT];
    for (int i = 0; i < g_threads; i++) {
        pids[i] = fork();
        if (pids[i] < 0) { perror("fork"); return 2; }
        if (pids[i] == 0) { worker(i); _exit(0); }
    }
    int bad = 0;
    for (int i = 0; i < g_threads; i++) {
        int status;
        if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) bad++;
    }
    u32 re = 0, gu = 0, ov = 0, lg = 0, cc = 0, ch = 0;
    for (int i = 0; i < g_threads; i++) {
        re += sh->retries[i]; gu += sh->giveups[i]; ov += sh->overlaps[i]; lg += sh->lock_giveups[i];
        cc += sh->chk[i].concurrent; ch += sh->chk[i].chunks;
    }
    u32 expect = (u32)g_threads * (u32)g_iters, total = ld(&sh->total.v), counter = ld(&sh->counter.v);
    char obs[300];
    snprintf(obs, sizeof obs,
             "total=%u,counter=%u,expected=%u,strex_retries=%u,giveups=%u,overlaps=%u,lock_giveups=%u,"
             "concurrent_chunks=%u,chunks=%u,aborted=%u,bad_children=%d",
             total, counter, expect, re, gu, ov, lg, cc, ch, ld(&g_abort.v), bad);
    result("fork-counter", total == expect && counter == expect && gu == 0 && ov == 0 && lg == 0 && !bad && !ld(&g_abort.v), obs);
    return 0;
}
