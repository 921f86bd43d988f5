/* proc-exec: execve and friends, checking their own results (qemu-arm cannot
 * execve an ARM file on a host without binfmt_misc, so no oracle runs it).
 * Usage: proc-exec DIR   (DIR holds, made by the caller: script.sh, mode
 *   755, "#!PATH-OF-THIS-ELF --script"; text.txt, 755, no #!; noexec.txt, 644) 
 * The program execs itself in the roles below (argv[1] names the role):
 *   argv/envp arrive intact; O_CLOEXEC fds are closed and the others kept;
 *   posix_spawn; vfork + exec; exec from a multi-threaded process; a `#!` script whose interpreter is this
 *   program; ENOENT, ENOEXEC (a text file without #!), EACCES (not
 *   executable) and E2BIG (3 MB of arguments) from a failed execve, after
 *   which the caller goes on unharmed.
 * Prints one line per check and "exec checks: N passed, M failed"; exit 0
 * if all passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int passed, failed;
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    if (ok) passed++; else failed++;
}

static int run_and_wait(pid_t c)
{
    int st;
    if (c < 0 || waitpid(c, &st, 0) != c) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void *block_forever(void *arg)
{
    char c;
    read(((int *)arg)[0], &c, 1);
    return NULL;
}

static int role(int argc, char **argv)
{
    if (!strcmp(argv[1], "--args")) {
        const char *v = getenv("PROC_EXEC_VAR");
        return argc == 5 && !strcmp(argv[2], "one") && !strcmp(argv[3], "two words") && !strcmp(argv[4], "") && v && !strcmp(v, "value=x") ? 42 : 1;
    }
    if (!strcmp(argv[1], "--fds")) {
        int kept = atoi(argv[2]), closed = atoi(argv[3]);
        errno = 0;
        int c = fcntl(closed, F_GETFD) == -1 && errno == EBADF;
        int k = fcntl(kept, F_GETFD) == 0 && write(kept, "k", 1) == 1;
        return c && k ? 43 : 1;
    }
    if (!strcmp(argv[1], "--spawned")) return 44;
    if (!strcmp(argv[1], "--threaded-exec")) {
        /* exec from a process with another thread blocked in a pipe read: that thread goes */
        static int blocker[2];
        if (pipe(blocker)) return 1;
        pthread_t t;
        pthread_create(&t, NULL, block_forever, blocker);
        usleep(20000);
        execl(argv[2], "proc-exec", "--spawned", (char *)NULL);
        return 1;
    }
    if (!strcmp(argv[1], "--script")) {
        /* argv: interpreter, "--script", script path, the script's own arguments */
        return argc == 5 && strstr(argv[2], "script.sh") && !strcmp(argv[3], "a1") && !strcmp(argv[4], "a2") ? 45 : 1;
    }
    return 2;
}

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] == '-') return role(argc, argv);
    if (argc != 2) { fprintf(stderr, "usage: proc-exec DIR\n"); return 2; }
    const char *dir = argv[1];
    char self[512];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) { printf("FAIL: readlink /proc/self/exe\n"); return 1; }
    self[n] = 0;
    setvbuf(stdout, NULL, _IONBF, 0);

    /* argv and envp */
    pid_t c = fork();
    if (c == 0) {
        char *av[] = { "proc-exec", "--args", "one", "two words", "", NULL };
        char *ev[] = { "PROC_EXEC_VAR=value=x", "OTHER=1", NULL };
        execve(self, av, ev);
        _exit(99);
    }
    check(run_and_wait(c) == 42, "argv and envp reach the new image");

    /* O_CLOEXEC */
    int p[2], q[2];
    if (pipe(p) || pipe2(q, O_CLOEXEC)) return 1;
    c = fork();
    if (c == 0) {
        char kept[16], closed[16];
        snprintf(kept, sizeof kept, "%d", p[1]);
        snprintf(closed, sizeof closed, "%d", q[1]);
        execl(self, "proc-exec", "--fds", kept, closed, (char *)NULL);
        _exit(99);
    }
    close(p[1]);
    char k = 0;
    int got = read(p[0], &k, 1);
    check(run_and_wait(c) == 43 && got == 1 && k == 'k', "O_CLOEXEC fds close on exec, the others stay open");
    close(p[0]); close(q[0]); close(q[1]);

    /* posix_spawn */
    char *sv[] = { "proc-exec", "--spawned", NULL };
    pid_t sp;
    int r = posix_spawn(&sp, self, NULL, NULL, sv, environ);
    check(r == 0 && run_and_wait(sp) == 44, "posix_spawn runs the program");
    r = posix_spawn(&sp, "/nonexistent/prog", NULL, NULL, sv, environ);
    check(r == ENOENT, "posix_spawn of a missing file reports ENOENT");

    /* vfork + exec */
    c = vfork();
    if (c == 0) {
        execl(self, "proc-exec", "--spawned", (char *)NULL);
        _exit(99);
    }
    check(run_and_wait(c) == 44, "vfork then exec");

    /* exec from a multi-threaded process */
    c = fork();
    if (c == 0) { execl(self, "proc-exec", "--threaded-exec", self, (char *)NULL); _exit(99); }
    check(run_and_wait(c) == 44, "exec from a process with a second thread (blocked in a read) ends that thread");

    /* a #! script run by this program */
    char script[600];
    snprintf(script, sizeof script, "%s/script.sh", dir);
    c = fork();
    if (c == 0) { execl(script, "script.sh", "a1", "a2", (char *)NULL); _exit(99); }
    check(run_and_wait(c) == 45, "#! script: interpreter, its argument, the script, the arguments");

    /* failures leave the caller running */
    errno = 0;
    execl("/nonexistent/prog", "x", (char *)NULL);
    check(errno == ENOENT, "execve of a missing file: ENOENT");
    char text[600];
    snprintf(text, sizeof text, "%s/text.txt", dir);
    errno = 0;
    execl(text, "text", (char *)NULL);
    check(errno == ENOEXEC, "execve of a text file without #!: ENOEXEC");
    snprintf(text, sizeof text, "%s/noexec.txt", dir);
    errno = 0;
    execl(text, "text", (char *)NULL);
    check(errno == EACCES, "execve of a file without execute permission: EACCES");
    size_t big = 3 << 20;
    char *huge = malloc(big);
    memset(huge, 'a', big - 1);
    huge[big - 1] = 0;
    char **many = calloc(40, sizeof *many);
    many[0] = "x";
    for (int i = 1; i < 39; i++) many[i] = huge + big - 100000; /* 38 x 100 KB */
    errno = 0;
    execv(self, many);
    check(errno == E2BIG, "execve with 3.8 MB of arguments: E2BIG");
    printf("exec checks: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
