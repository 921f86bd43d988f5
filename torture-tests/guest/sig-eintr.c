/*
 * Blocking syscalls interrupted by a signal: EINTR without SA_RESTART, a
 * transparent restart with it where Linux restarts (FUTEX_WAIT without a
 * timeout), EINTR regardless where it does not (nanosleep with the time
 * left in rem, absolute clock_nanosleep, a futex wait with a timeout, pause,
 * sigsuspend, sigtimedwait, poll). A read on an empty pipe and waitpid
 * restart under SA_RESTART. A signal whose action is to ignore interrupts
 * nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int hits, in_call, hit_in_call, done;
static int word;
static pid_t main_tid;

/* The main thread sets in_call just before each blocking call: a hit then means the call was (about to be) interrupted. */
static void on_usr1(int sig) {
  hits++;
  if (in_call) hit_in_call = 1;
}

static void sleep_ms(int ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/*
 * The helper signals the main thread every 100 ms until its blocking call
 * returns (a slow host may run the main thread late, so no single signal is
 * sure to find it blocked). With `wake` it stops once a signal has hit the
 * call and then sets the futex word and wakes it.
 */
struct poke { int sig; void (*wake)(void); };
static void *poker(void *arg) {
  struct poke *p = arg;
  while (!done && !(p->wake && hit_in_call)) {
    sleep_ms(100);
    if (!done) syscall(SYS_tgkill, getpid(), main_tid, p->sig);
  }
  if (p->wake) {
    sleep_ms(100);
    p->wake();
  }
  return 0;
}

static void wake_futex(void) {
  __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
  syscall(SYS_futex, &word, FUTEX_WAKE, 1, 0, 0, 0);
}
static int pipe_fds[2];
static void fill_pipe(void) {
  if (write(pipe_fds[1], "x", 1) != 1) printf("pipe write failed\n");
}
static pid_t child;
static void kill_child(void) {
  kill(child, SIGKILL);
}

static pthread_t start_poker(struct poke *p) {
  pthread_t t;
  hits = hit_in_call = done = 0;
  in_call = 1;
  pthread_create(&t, 0, poker, p);
  return t;
}

static void finish(pthread_t t) {
  int e = errno;
  in_call = 0;
  done = 1;
  pthread_join(t, 0);
  errno = e;
}

static void set_handler(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = flags;
  sigaction(SIGUSR1, &sa, 0);
}

static const char *outcome(long r) {
  static char buf[64];
  if (r == 0) return "returned 0";
  snprintf(buf, sizeof buf, "failed with %s", errno == EINTR ? "EINTR" : strerror(errno));
  return buf;
}

int main(void) {
  main_tid = syscall(SYS_gettid);
  for (int restart = 0; restart < 2; restart++) {
    const char *mode = restart ? "SA_RESTART" : "no SA_RESTART";
    set_handler(restart ? SA_RESTART : 0);
    struct poke usr1 = { SIGUSR1, 0 }, usr1_wake = { SIGUSR1, wake_futex };

    word = 0;
    pthread_t t = start_poker(&usr1_wake);
    long r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, 0, 0);
    finish(t);
    /* Restarted, it either sleeps until the wake (0) or finds the word already set (EAGAIN). */
    printf("%s: futex wait %s, handler ran %d\n", mode, r == 0 || errno == EAGAIN ? "restarted, then woken" : outcome(r), hits > 0);

    struct timespec tmo = { 30, 0 };
    word = 0;
    t = start_poker(&usr1);
    r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, &tmo, 0, 0);
    finish(t);
    printf("%s: futex wait with a timeout %s, handler ran %d\n", mode, outcome(r), hits > 0);

    t = start_poker(&usr1);
    struct timespec req = { 30, 0 }, rem = { 0, 0 };
    r = nanosleep(&req, &rem);
    finish(t);
    printf("%s: nanosleep %s, handler ran %d, time left below 30 s %d\n", mode, outcome(r), hits > 0,
           rem.tv_sec < 30 && (rem.tv_sec > 0 || rem.tv_nsec > 0));

    struct timespec until, now;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += 30;
    t = start_poker(&usr1);
    int cr = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, 0);
    finish(t);
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("%s: absolute clock_nanosleep returned %s, handler ran %d, deadline reached %d\n", mode,
           cr == 0 ? "0" : cr == EINTR ? "EINTR" : "other", hits > 0, now.tv_sec >= until.tv_sec);

    t = start_poker(&usr1);
    r = pause();
    finish(t);
    printf("%s: pause %s, handler ran %d\n", mode, outcome(r), hits > 0);

    t = start_poker(&usr1);
    sigset_t none;
    sigemptyset(&none);
    r = sigsuspend(&none);
    finish(t);
    printf("%s: sigsuspend %s, handler ran %d\n", mode, outcome(r), hits > 0);

    /* sigtimedwait for SIGUSR2 is cut short by SIGUSR1's handler. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, 0);
    t = start_poker(&usr1);
    struct timespec thirty = { 30, 0 };
    r = sigtimedwait(&usr2, 0, &thirty);
    finish(t);
    sigprocmask(SIG_UNBLOCK, &usr2, 0);
    printf("%s: sigtimedwait %s, handler ran %d\n", mode, r < 0 ? outcome(r) : "returned a signal", hits > 0);
  }

  /* A read on an empty pipe, poll on it, and wait4 for a child that waits to be killed. */
  if (pipe(pipe_fds) != 0) printf("pipe failed\n");
  for (int restart = 0; restart < 2; restart++) {
    const char *mode = restart ? "SA_RESTART" : "no SA_RESTART";
    set_handler(restart ? SA_RESTART : 0);
    struct poke usr1 = { SIGUSR1, 0 }, usr1_fill = { SIGUSR1, fill_pipe }, usr1_kill = { SIGUSR1, kill_child };

    char c;
    pthread_t t = start_poker(restart ? &usr1_fill : &usr1);
    long r = read(pipe_fds[0], &c, 1);
    finish(t);
    printf("%s: read on an empty pipe %s, handler ran %d\n", mode, r == 1 ? "restarted, then read the byte" : outcome(r), hits > 0);

    struct pollfd pfd = { .fd = pipe_fds[0], .events = POLLIN };
    t = start_poker(&usr1);
    r = poll(&pfd, 1, -1);
    finish(t);
    printf("%s: poll on an empty pipe %s, handler ran %d\n", mode, r < 0 ? outcome(r) : "returned", hits > 0);

    child = fork();
    if (child == 0) {
      for (;;) pause();
    }
    int status = 0;
    t = start_poker(restart ? &usr1_kill : &usr1);
    r = waitpid(child, &status, 0);
    finish(t);
    if (r < 0) {
      printf("%s: waitpid %s, handler ran %d\n", mode, outcome(r), hits > 0);
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
    } else {
      printf("%s: waitpid restarted, then the child killed by signal %d, handler ran %d\n", mode,
             WIFSIGNALED(status) ? WTERMSIG(status) : 0, hits > 0);
    }
  }

  /* SIGCHLD is ignored by default: it does not interrupt a sleep. */
  struct poke chld = { SIGCHLD, 0 };
  pthread_t t = start_poker(&chld);
  struct timespec req = { 0, 400 * 1000000L };
  long r = nanosleep(&req, 0);
  finish(t);
  printf("ignored SIGCHLD: nanosleep %s\n", outcome(r));
  return 0;
}
