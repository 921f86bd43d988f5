/* fork-wait: fork + _exit + waitpid of a process with 16 MB touched.
 * The parent first writes 16 MB of heap (so that fork has 4096 pages to
 * copy), then N times: read CLOCK_MONOTONIC, fork, the child _exits at once,
 * waitpid, read the clock again.
 * Output: "fork i=I us=MICROSECONDS" per round, then
 *   BENCH workload=fork-wait rounds=N touched_mb=16
 * Usage: fork-wait [N]   (default 20) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    size_t mb = 16;
    char *heap = malloc(mb << 20);
    if (!heap) return 1;
    memset(heap, 0x5a, mb << 20);
    for (int i = 0; i < n; i++) {
        long long t0 = now_ns();
        pid_t c = fork();
        if (c == 0) _exit(heap[i] == 0x5a ? 0 : 1);
        int st;
        if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("child failed\n"); return 1; }
        printf("fork i=%d us=%lld\n", i, (now_ns() - t0) / 1000);
    }
    printf("BENCH workload=fork-wait rounds=%d touched_mb=%zu\n", n, mb);
    return 0;
}
