/* exec-start: execve to the new image's main().
 * The program runs itself: the first run forks N children one after
 * another; each child reads CLOCK_MONOTONIC and execs this same program
 * with that time as an argument, and the new image reports how long ago
 * that was as soon as main() starts. Under mttcg the image has run before
 * in the same mttcg process (the parent, earlier children).
 * Output: "exec i=I us=MICROSECONDS" per child, then
 *   BENCH workload=exec-start rounds=N
 * Usage: exec-start [N]   (default 20) */
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
    if (argc == 4 && strcmp(argv[1], "--started") == 0) {
        long long t = now_ns();
        printf("exec i=%s us=%lld\n", argv[3], (t - atoll(argv[2])) / 1000);
        return 0;
    }
    int n = argc > 1 ? atoi(argv[1]) : 20;
    for (int i = 0; i < n; i++) {
        fflush(stdout);
        pid_t c = fork();
        if (c == 0) {
            char t0[32], idx[16];
            snprintf(idx, sizeof idx, "%d", i);
            snprintf(t0, sizeof t0, "%lld", now_ns());
            execl("/proc/self/exe", argv[0], "--started", t0, idx, (char *)NULL);
            _exit(127);
        }
        int st;
        if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("child failed\n"); return 1; }
    }
    printf("BENCH workload=exec-start rounds=%d\n", n);
    return 0;
}
