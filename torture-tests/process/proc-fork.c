/* proc-fork: processes, compared with qemu-arm.
 * A fork chain of 5 processes passing a token through pipes (each adds its
 * depth), the child's memory being a copy (a change in the child is not seen
 * by the parent, and the reverse), wait statuses for exit(7), SIGKILL and
 * abort(), waitpid with WNOHANG, waitid, getppid/getpgrp/setpgid/setsid,
 * vfork with _exit, kill between
 * processes, SIGCHLD-free reaping with wait(-1), ECHILD when none is left,
 * and EPIPE with SIGPIPE ignored across processes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s (errno %d)\n", __LINE__, #c, errno); fails++; } } while (0)

static int counter = 100;

/* depth d reads a number from `in`, adds d, and passes it on (the last one prints it) */
__attribute__((noreturn)) static void chain(int depth, int in)
{
    int v = 0;
    if (read(in, &v, sizeof v) != sizeof v) _exit(20);
    v += depth;
    if (depth == 5) { printf("chain result %d\n", v); fflush(stdout); _exit(0); }
    int p[2];
    if (pipe(p)) _exit(21);
    pid_t c = fork();
    if (c == 0) { close(p[1]); chain(depth + 1, p[0]); }
    close(p[0]);
    if (write(p[1], &v, sizeof v) != sizeof v) _exit(22);
    close(p[1]);
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st)) _exit(23);
    _exit(WEXITSTATUS(st));
}

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else printf("%s: status %x\n", what, st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* fork chain through pipes */
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t c = fork();
    if (c == 0) { close(p[1]); chain(1, p[0]); }
    close(p[0]);
    int v = 1000;
    CHECK(write(p[1], &v, sizeof v) == sizeof v);
    close(p[1]);
    int st;
    CHECK(waitpid(c, &st, 0) == c);
    describe("chain", st);

    /* memory is a copy */
    int q[2], back[2];
    CHECK(pipe(q) == 0);
    CHECK(pipe(back) == 0);
    c = fork();
    if (c == 0) {
        counter += 1;
        char buf[32];
        snprintf(buf, sizeof buf, "child sees %d", counter);
        CHECK(write(q[1], buf, strlen(buf) + 1) > 0);
        char x;
        CHECK(read(back[0], &x, 1) == 1); /* wait until the parent changed its copy */
        printf("child still sees %d\n", counter);
        _exit(0);
    }
    char buf[32] = {0};
    CHECK(read(q[0], buf, sizeof buf) > 0);
    counter += 50;
    printf("%s; parent sees %d\n", buf, counter);
    CHECK(write(back[1], "g", 1) == 1);
    CHECK(waitpid(c, &st, 0) == c);
    close(q[0]);
    close(q[1]);
    close(back[0]);
    close(back[1]);

    /* wait statuses */
    c = fork();
    if (c == 0) exit(7);
    CHECK(waitpid(c, &st, 0) == c);
    describe("exit(7)", st);
    c = fork();
    if (c == 0) { for (;;) pause(); }
    CHECK(kill(c, 0) == 0);
    CHECK(kill(c, SIGKILL) == 0);
    CHECK(waitpid(c, &st, 0) == c);
    describe("SIGKILL", st);
    c = fork();
    if (c == 0) abort();
    CHECK(waitpid(c, &st, 0) == c);
    describe("abort", st);
    c = fork();
    if (c == 0) { volatile int *volatile bad = (int *)16; *bad = 1; _exit(0); }
    CHECK(waitpid(c, &st, 0) == c);
    describe("SIGSEGV", st);

    /* WNOHANG, waitid */
    CHECK(pipe(q) == 0);
    c = fork();
    if (c == 0) { char x; close(q[1]); read(q[0], &x, 1); _exit(3); }
    close(q[0]);
    CHECK(waitpid(c, &st, WNOHANG) == 0);
    close(q[1]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED) == 0);
    printf("waitid: signo %d code %d status %d pid ok %d\n", si.si_signo, si.si_code, si.si_status, si.si_pid == c);

    /* identity */
    CHECK(pipe(q) == 0);
    pid_t me = getpid();
    c = fork();
    if (c == 0) {
        int ok = getppid() == me && getpgrp() == getpgid(0) && getpid() != me;
        CHECK(setpgid(0, 0) == 0);
        ok = ok && getpgrp() == getpid();
        pid_t s = setsid();
        ok = ok && s == -1 && errno == EPERM; /* a group leader cannot */
        CHECK(write(q[1], &ok, sizeof ok) == sizeof ok);
        _exit(0);
    }
    int ok = 0;
    CHECK(read(q[0], &ok, sizeof ok) == sizeof ok);
    CHECK(waitpid(c, &st, 0) == c);
    printf("identity ok %d\n", ok);
    close(q[0]);
    close(q[1]);
    c = fork();
    if (c == 0) { pid_t s = setsid(); _exit(s == getpid() && getsid(0) == getpid() ? 0 : 1); }
    CHECK(waitpid(c, &st, 0) == c);
    describe("setsid", st);

    /* vfork */
    c = vfork();
    if (c == 0) _exit(9);
    CHECK(waitpid(c, &st, 0) == c);
    describe("vfork", st);


    /* reaping everything, then ECHILD */
    for (int i = 0; i < 3; i++) { c = fork(); if (c == 0) _exit(i); }
    int sum = 0, n = 0;
    while ((c = wait(&st)) > 0) { sum += WEXITSTATUS(st); n++; }
    printf("reaped %d children, exit codes sum %d, then errno ECHILD %d\n", n, sum, errno == ECHILD);

    /* EPIPE across processes */
    signal(SIGPIPE, SIG_IGN);
    CHECK(pipe(q) == 0);
    c = fork();
    if (c == 0) { close(q[0]); close(q[1]); _exit(0); }
    close(q[0]);
    CHECK(waitpid(c, &st, 0) == c);
    errno = 0;
    CHECK(write(q[1], "x", 1) == -1 && errno == EPIPE);
    printf("fails %d\n", fails);
    return fails != 0;
}
