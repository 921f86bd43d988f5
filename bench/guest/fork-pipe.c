/* fork-pipe: process creation, a pipe and wait, from several threads at once
 * (mttcg-lab issue 22: the multi-process workload of `mttcg bench`).
 * usage: fork-pipe threads ops-per-thread
 * One op = pipe(); fork(); the child writes one 32-bit word derived from the
 * op's number into the pipe and _exits with a status derived from it; the
 * parent thread reads the word, closes the pipe and waitpid()s the child.
 * Under mttcg every op creates a guest process (an address-space copy: the
 * parent has several threads, so the copy is eager, inside a stop-the-world
 * section of the strategy), hands it to a pooled vCPU worker, and ends it;
 * under qemu-arm and natively it is a host fork.  The parent's threads fork
 * side by side, so with 2 or more vCPUs processes of different threads
 * overlap.  No fails=: nothing here retries.
 * Check: every child's word and exit status arrived, and their sum matches. */
#include "bench.h"
#include <sys/wait.h>

static uint64_t got_sum[BENCH_MAXT];
static uint32_t bad[BENCH_MAXT];

static uint32_t word_of(int self, uint64_t i)
{
    return (uint32_t)(i * 2654435761u) ^ ((uint32_t)self << 24);
}

static int one_op(int self, uint64_t i)
{
    int fds[2];
    if (pipe(fds) != 0) return 0;
    uint32_t want = word_of(self, i);
    pid_t c = fork();
    if (c < 0) {
        close(fds[0]);
        close(fds[1]);
        return 0;
    }
    if (c == 0) {
        close(fds[0]);
        _exit(write(fds[1], &want, sizeof want) == sizeof want ? (int)(want & 0x7f) : 255);
    }
    close(fds[1]);
    uint32_t w = 0;
    size_t have = 0;
    while (have < sizeof w) {
        ssize_t n = read(fds[0], (char *)&w + have, sizeof w - have);
        if (n <= 0) break;
        have += (size_t)n;
    }
    close(fds[0]);
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != (int)(want & 0x7f)) return 0;
    if (have != sizeof w || w != want) return 0;
    got_sum[self] += w;
    return 1;
}

static BENCH_HOT uint64_t body(int self, uint64_t from, uint64_t to, int timed)
{
    (void)timed;
    for (uint64_t i = from; i < to; i++)
        if (!one_op(self, i)) bad[self]++;
    return 0;
}

int main(int argc, char **argv)
{
    bench_args(argc, argv, "threads ops-per-thread");
    if (bench_variant) { fprintf(stderr, "fork-pipe takes no variant\n"); return 2; }
    uint64_t unused;
    uint64_t ns = bench_run(body, &unused);
    uint64_t want = 0, got = 0;
    uint32_t bad_ops = 0;
    for (int t = 0; t < bench_threads; t++) {
        /* The body runs the warm-up ops [0, warmup) and the timed ops [0, ops), as every bench.h workload. */
        for (uint64_t i = 0; i < bench_warmup; i++) want += word_of(t, i);
        for (uint64_t i = 0; i < bench_ops; i++) want += word_of(t, i);
        got += got_sum[t];
        bad_ops += bad[t];
    }
    int pass = bad_ops == 0 && got == want;
    int status = bench_report("fork-pipe", ns, got, pass);
    if (status) fprintf(stderr, "fork-pipe: %u ops failed; sum %llu (expected %llu)\n", bad_ops,
                        (unsigned long long)got, (unsigned long long)want);
    return status;
}
