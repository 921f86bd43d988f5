/* sandbox-race: tries to leave --allow-dir by racing rename on a symlink
 * (mttcg-lab, issue 13 item 1).  Run it with the working directory inside
 * an allowed directory D that holds one symlink, 'out', pointing to a
 * directory outside D (the test sets this up; the guest cannot create
 * symlinks).  One thread renames out -> d -> out as fast as it can; the
 * main thread, N times over, tries every path call on 'd/...':
 *   open d/secret (read), open d/created (O_CREAT), openat, mkdir d/newdir,
 *   stat/lstat/access d/secret, truncate d/victim, unlink d/victim2,
 *   rename d/victim3 -> stolen, readlink d/secret.
 * Inside D there is never a 'd' directory, only the symlink, so every call
 * that succeeds went through the link, i.e. outside D: an escape.
 * Prints one line per call with its successes, then "renames=R escapes=N"
 * (R: the renames done meanwhile, so that a run without escapes can be told
 * from a run without a race); exit 0.
 * argv: [tries, default 3000] */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile int stop;
static volatile int renames;

static void *renamer(void *arg)
{
    (void)arg;
    while (!stop) {
        if (rename("out", "d") == 0) renames++;
        if (rename("d", "out") == 0) renames++;
    }
    return 0;
}

enum { OPEN_READ, OPEN_CREATE, OPENAT, MKDIR, STAT, LSTAT, ACCESS, TRUNCATE, UNLINK, RENAME, READLINK, NCALLS };
static const char *names[NCALLS] = {
    "open d/secret", "open d/created O_CREAT", "openat d/secret", "mkdir d/newdir", "stat d/secret",
    "lstat d/secret", "access d/secret", "truncate d/victim", "unlink d/victim2", "rename d/victim3 stolen",
    "readlink d/secret",
};

int main(int argc, char **argv)
{
    int tries = argc > 1 ? atoi(argv[1]) : 3000;
    int hits[NCALLS] = {0};
    char secret[64] = "";
    int here = open(".", O_RDONLY | O_DIRECTORY);
    pthread_t t;
    if (pthread_create(&t, 0, renamer, 0)) { printf("pthread_create failed\n"); return 2; }
    for (int i = 0; i < tries; i++) {
        struct stat st;
        char buf[64];
        int fd = open("d/secret", O_RDONLY);
        if (fd >= 0) {
            hits[OPEN_READ]++;
            ssize_t n = read(fd, secret, sizeof secret - 1);
            if (n > 0) secret[n] = 0;
            close(fd);
        }
        fd = open("d/created", O_CREAT | O_WRONLY, 0644);
        if (fd >= 0) { hits[OPEN_CREATE]++; close(fd); }
        fd = openat(here, "d/secret", O_RDONLY);
        if (fd >= 0) { hits[OPENAT]++; close(fd); }
        if (mkdir("d/newdir", 0755) == 0) hits[MKDIR]++;
        if (stat("d/secret", &st) == 0) hits[STAT]++;
        if (lstat("d/secret", &st) == 0) hits[LSTAT]++;
        if (access("d/secret", F_OK) == 0) hits[ACCESS]++;
        if (truncate("d/victim", 0) == 0) hits[TRUNCATE]++;
        if (unlink("d/victim2") == 0) hits[UNLINK]++;
        if (rename("d/victim3", "stolen") == 0) hits[RENAME]++;
        if (readlink("d/secret", buf, sizeof buf) >= 0 || errno == EINVAL) hits[READLINK]++;
    }
    stop = 1;
    pthread_join(t, 0);
    int escapes = 0;
    for (int c = 0; c < NCALLS; c++) {
        printf("%-26s %d\n", names[c], hits[c]);
        escapes += hits[c];
    }
    if (secret[0]) printf("read outside: %s\n", secret);
    printf("renames=%d escapes=%d\n", renames, escapes);
    return 0;
}
