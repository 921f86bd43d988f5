/*
 * File locks between guest processes. Run it in an empty scratch directory
 * (under mttcg: the only --allow-dir). A parent and a forked child lock
 * ranges of one file with fcntl (F_SETLK, F_SETLKW, F_GETLK), open file
 * description locks (F_OFD_*) and flock; checks that a process never
 * conflicts with itself, that another process's locks conflict by type and
 * range, that F_SETLKW really waits (and that a signal interrupts it), that
 * a close of any fd for the file drops the process's record locks, that
 * flock belongs to the open file description, and the errors. Only one
 * process prints at a time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(int r) {
  if (r >= 0) return "0";
  const char *n = strerrorname_np(errno);
  return n ? n : "?";
}

static int lk(int fd, int cmd, int type, long start, long len) {
  struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
  return fcntl(fd, cmd, &fl);
}

static const char *type_name(int t) { return t == F_RDLCK ? "read" : t == F_WRLCK ? "write" : t == F_UNLCK ? "none" : "?"; }

/* F_GETLK (or F_OFD_GETLK) for a lock of `type` on [start, start+len): what is in the way. */
static void probe(const char *what, int fd, int cmd, int type, long start, long len, pid_t other) {
  struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
  if (fcntl(fd, cmd, &fl) != 0) { printf("  %s: %s\n", what, res(-1)); return; }
  if (fl.l_type == F_UNLCK) { printf("  %s: none\n", what); return; }
  printf("  %s: %s lock at %ld len %ld, pid %s\n", what, type_name(fl.l_type), (long)fl.l_start, (long)fl.l_len,
         fl.l_pid == other ? "the other process" : fl.l_pid == -1 ? "-1" : "?");
}

static void on_alarm(int sig) { (void)sig; }

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char zeros[100] = {0};
  write(fd, zeros, sizeof zeros);
  pid_t parent = getpid();
  int marker[2], ready[2];
  pipe(marker);
  pipe(ready);
  fcntl(marker[0], F_SETFL, O_NONBLOCK);

  printf("parent: write lock 0..9: %s\n", res(lk(fd, F_SETLK, F_WRLCK, 0, 10)));
  probe("parent's own view of 0..99", fd, F_GETLK, F_WRLCK, 0, 100, 0);
  printf("parent: read lock 20..29 over nothing, then 40..99 write: %s %s\n", res(lk(fd, F_SETLK, F_RDLCK, 20, 10)),
         res(lk(fd, F_SETLK, F_WRLCK, 40, 0)));
  printf("parent: unlock 60..69 (splits 40..): %s\n", res(lk(fd, F_SETLK, F_UNLCK, 60, 10)));
  fflush(stdout);

  pid_t child = fork();
  if (child == 0) {
    int own = open("f", O_RDWR);
    printf("child:\n");
    probe("write over 0..99", fd, F_GETLK, F_WRLCK, 0, 100, parent);
    probe("read over 20..29", fd, F_GETLK, F_RDLCK, 20, 10, parent);
    probe("write over 20..29", fd, F_GETLK, F_WRLCK, 20, 10, parent);
    probe("write over 60..69", fd, F_GETLK, F_WRLCK, 60, 10, parent);
    probe("write over 70..", fd, F_GETLK, F_WRLCK, 70, 0, parent);
    printf("  write lock 5: %s, read lock 25: %s, write lock 65: %s\n", res(lk(own, F_SETLK, F_WRLCK, 5, 1)),
           res(lk(own, F_SETLK, F_RDLCK, 25, 1)), res(lk(own, F_SETLK, F_WRLCK, 65, 1)));
    fflush(stdout);
    /* Blocks until the parent unlocks 0..9; the parent writes the marker first. */
    write(ready[1], "r", 1);
    int r = lk(own, F_SETLKW, F_WRLCK, 0, 10);
    char m;
    long got = read(marker[0], &m, 1);
    printf("  F_SETLKW on 0..9: %s, after the parent's unlock: %s\n", res(r), got == 1 ? "yes" : "no");
    /* Interrupted: a signal without SA_RESTART ends the wait with EINTR. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    /* Repeating, so that one that fires before the wait began is followed by one during it. */
    struct itimerval every = { { 0, 200000 }, { 0, 500000 } }, off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &every, NULL);
    r = lk(own, F_SETLKW, F_WRLCK, 40, 5);
    setitimer(ITIMER_REAL, &off, NULL);
    printf("  F_SETLKW on the parent's 40..44 with an alarm: %s\n", res(r));
    fflush(stdout);
    return 0;
  }
  /* The child has probed and is about to wait; give it time to block (the result does not depend on it). */
  char c;
  read(ready[0], &c, 1);
  usleep(100000);
  write(marker[1], "m", 1);
  int unlocked = lk(fd, F_SETLK, F_UNLCK, 0, 10);
  int status;
  waitpid(child, &status, 0);
  printf("parent: unlock 0..9: %s\n", res(unlocked));
  printf("child exited %d\n", WEXITSTATUS(status));
  probe("after the child's exit, parent probing write over 0..9", fd, F_GETLK, F_WRLCK, 0, 10, child);

  /* Any close of an fd for the file drops the process's record locks. */
  int other = open("f", O_RDONLY);
  close(other);
  fflush(stdout);
  child = fork();
  if (child == 0) {
    probe("child after the parent closed another fd: write over 0..99", fd, F_GETLK, F_WRLCK, 0, 100, parent);
    fflush(stdout);
    return 0;
  }
  waitpid(child, &status, 0);

  /* flock: owned by the open file description. */
  printf("parent: flock LOCK_EX: %s\n", res(flock(fd, LOCK_EX)));
  fflush(stdout);
  child = fork();
  if (child == 0) {
    int own = open("f", O_RDONLY);
    printf("child: flock on its own open LOCK_SH|LOCK_NB: %s, on the shared fd LOCK_EX|LOCK_NB: %s\n",
           res(flock(own, LOCK_SH | LOCK_NB)), res(flock(fd, LOCK_EX | LOCK_NB)));
    fflush(stdout);
    return 0;
  }
  waitpid(child, &status, 0);
  int second = open("f", O_RDONLY);
  printf("parent: second open LOCK_EX|LOCK_NB: %s; after LOCK_UN on the first: %s\n", res(flock(second, LOCK_EX | LOCK_NB)),
         (flock(fd, LOCK_UN), res(flock(second, LOCK_EX | LOCK_NB))));
  close(second);
  printf("parent: after closing the second open, the first LOCK_EX|LOCK_NB: %s\n", res(flock(fd, LOCK_EX | LOCK_NB)));
  flock(fd, LOCK_UN);

  /* Open file description locks: two opens in one process conflict. */
  int a = open("f", O_RDWR), b = open("f", O_RDWR);
  printf("OFD: lock on a: %s, on b: %s\n", res(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10)), res(lk(b, F_OFD_SETLK, F_WRLCK, 5, 10)));
  probe("OFD: b probing", b, F_OFD_GETLK, F_WRLCK, 0, 100, 0);
  struct flock bad = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1, .l_pid = 5 };
  printf("OFD: l_pid not 0: %s\n", res(fcntl(b, F_OFD_SETLK, &bad)));

  /* Errors. */
  int wo = open("f", O_WRONLY), ro = open("f", O_RDONLY);
  struct flock weird = { .l_type = 7, .l_whence = SEEK_SET };
  struct flock whence = { .l_type = F_RDLCK, .l_whence = 9 };
  struct flock neg = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = -5, .l_len = 1 };
  printf("errors: bad type %s, bad whence %s, negative start %s, read lock on write-only %s, write lock on read-only %s\n",
         res(fcntl(fd, F_SETLK, &weird)), res(fcntl(fd, F_SETLK, &whence)), res(fcntl(fd, F_SETLK, &neg)),
         res(lk(wo, F_SETLK, F_RDLCK, 0, 1)), res(lk(ro, F_SETLK, F_WRLCK, 0, 1)));
  printf("errors: F_GETLK of F_UNLCK %s, flock bad op %s, flock bad fd %s\n", res(lk(fd, F_GETLK, F_UNLCK, 0, 1)),
         res(flock(fd, 3)), res(flock(99, LOCK_SH)));
  return 0;
}
