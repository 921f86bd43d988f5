/* proc-tgkill: tkill and tgkill between processes, and the time left that
 * select, pselect6 and ppoll write back into their timeout (issue 22).
 *
 * 1. A child with a SIGUSR1 handler waits on a pipe; the parent sends it
 *    SIGUSR1 with tgkill(child, child), the handler writes a byte back.
 *    tgkill naming the child's tid under the parent's pid, or the parent's
 *    tid under the child's pid, is ESRCH; signal 0 probes. tkill(child,
 *    SIGTERM) then ends the child (wait status: killed by SIGTERM).
 * 2. select, pselect6 and ppoll (the raw syscalls: glibc's pselect and
 *    ppoll pass a copy of the timeout) on an empty pipe: when the timeout
 *    passes the timeout reads zero afterwards; when data comes first
 *    (written by a child after about 50 ms of a 5 s timeout) it reads more
 *    than zero and less than it was. A zero timeout stays zero.
 * Prints one line per check; exit 0. The same output as qemu-arm. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int back[2];

static void on_usr1(int sig)
{
    char c = 'u';
    (void)sig;
    if (write(back[1], &c, 1) != 1) _exit(3);
}

static const char *err(long r)
{
    return r == 0 ? "0" : strerror(errno);
}

static void signals_between_processes(void)
{
    if (pipe(back)) { perror("pipe"); _exit(1); }
    pid_t child = fork();
    if (child == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sigaction(SIGUSR1, &sa, 0);
        char c = 'r';
        if (write(back[1], &c, 1) != 1) _exit(3); /* ready */
        for (;;) pause();
    }
    char c;
    if (read(back[0], &c, 1) != 1) { puts("child not ready"); _exit(1); }
    pid_t me = getpid();
    printf("tgkill(child, child, 0): %s\n", err(syscall(SYS_tgkill, child, child, 0)));
    printf("tgkill(self, child, 0): %s\n", err(syscall(SYS_tgkill, me, child, 0)));
    printf("tgkill(child, self, SIGUSR1): %s\n", err(syscall(SYS_tgkill, child, me, SIGUSR1)));
    printf("tkill(child, 0): %s\n", err(syscall(SYS_tkill, child, 0)));
    printf("tgkill(child, child, SIGUSR1): %s\n", err(syscall(SYS_tgkill, child, child, SIGUSR1)));
    if (read(back[0], &c, 1) != 1) { puts("no reply"); _exit(1); }
    printf("the child's handler ran: %c\n", c);
    printf("tkill(child, SIGTERM): %s\n", err(syscall(SYS_tkill, child, SIGTERM)));
    int status = 0;
    waitpid(child, &status, 0);
    printf("child: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    printf("tkill(reaped child, 0): %s\n", err(syscall(SYS_tkill, child, 0)));
    close(back[0]);
    close(back[1]);
}

/* A child that writes one byte into fd after about 50 ms. */
static pid_t late_writer(int fd)
{
    pid_t p = fork();
    if (p == 0) {
        struct timespec d = { 0, 50 * 1000 * 1000 };
        nanosleep(&d, 0);
        if (write(fd, "x", 1) != 1) _exit(3);
        _exit(0);
    }
    return p;
}

static const char *compare_left(long long left_ns, long long was_ns)
{
    if (left_ns == 0) return "zero";
    if (left_ns < 0 || left_ns > was_ns) return "WRONG";
    return left_ns < was_ns ? "less than it was, more than zero" : "unchanged";
}

enum call { SELECT, PSELECT6, PPOLL };
static const char *const NAMES[] = { "select", "pselect6", "ppoll" };

/* One call on fd's read end with a timeout of sec+nsec; returns ready count and the time left. */
static long call_with_timeout(enum call which, int fd, long sec, long nsec, long long *left_ns)
{
    long r;
    if (which == SELECT) {
        fd_set set;
        FD_ZERO(&set);
        FD_SET(fd, &set);
        struct timeval tv = { sec, nsec / 1000 };
        r = syscall(SYS__newselect, fd + 1, &set, 0, 0, &tv);
        *left_ns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
    } else if (which == PSELECT6) {
        fd_set set;
        FD_ZERO(&set);
        FD_SET(fd, &set);
        struct timespec ts = { sec, nsec };
        r = syscall(SYS_pselect6, fd + 1, &set, 0, 0, &ts, 0);
        *left_ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
    } else {
        struct pollfd p = { fd, POLLIN, 0 };
        struct timespec ts = { sec, nsec };
        r = syscall(SYS_ppoll, &p, 1, &ts, 0, 8);
        *left_ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
    }
    return r;
}

static void time_left(void)
{
    for (int which = SELECT; which <= PPOLL; which++) {
        int p[2];
        if (pipe(p)) { perror("pipe"); _exit(1); }
        long long left;
        long r = call_with_timeout(which, p[0], 0, 30 * 1000 * 1000, &left);
        printf("%s, 30 ms, nothing comes: %ld ready, timeout now %s\n", NAMES[which], r, compare_left(left, 30000000LL));
        r = call_with_timeout(which, p[0], 0, 0, &left);
        printf("%s, zero timeout: %ld ready, timeout now %s\n", NAMES[which], r, compare_left(left, 0));
        pid_t w = late_writer(p[1]);
        r = call_with_timeout(which, p[0], 5, 0, &left);
        printf("%s, 5 s, data after 50 ms: %ld ready, timeout now %s\n", NAMES[which], r, compare_left(left, 5000000000LL));
        waitpid(w, 0, 0);
        close(p[0]);
        close(p[1]);
    }
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    signals_between_processes();
    time_left();
    return 0;
}
