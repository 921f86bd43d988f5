/*
 * Waiting for signals synchronously: sigtimedwait times out with EAGAIN,
 * returns a signal already pending at once, and takes one sent by another
 * thread while it waits, with its siginfo (si_code, si_pid, si_value);
 * sigwaitinfo; rt_sigqueueinfo and rt_tgsigqueueinfo; the waited signals
 * stay blocked afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pid_t main_tid;

static void sleep_ms(int ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, 0);
}

static void *sender(void *arg) {
  sleep_ms(100);
  union sigval v = { .sival_int = 1234 };
  sigqueue(getpid(), SIGRTMIN + 4, v);
  sleep_ms(100);
  /* rt_tgsigqueueinfo to the main thread with a caller-made siginfo. */
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = SIGUSR1;
  si.si_code = SI_QUEUE;
  si.si_pid = getpid();
  si.si_value.sival_int = 77;
  syscall(SYS_rt_tgsigqueueinfo, getpid(), main_tid, SIGUSR1, &si);
  return 0;
}

int main(void) {
  main_tid = syscall(SYS_gettid);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN + 4);
  sigprocmask(SIG_BLOCK, &set, 0);

  struct timespec short_wait = { 0, 50 * 1000000L };
  siginfo_t si;
  int r = sigtimedwait(&set, &si, &short_wait);
  printf("nothing pending: %s\n", r == -1 && errno == EAGAIN ? "EAGAIN" : "returned");
  struct timespec zero = { 0, 0 };
  r = sigtimedwait(&set, &si, &zero);
  printf("zero timeout: %s\n", r == -1 && errno == EAGAIN ? "EAGAIN" : "returned");

  kill(getpid(), SIGUSR1);
  r = sigtimedwait(&set, &si, &short_wait);
  printf("already pending: signal %d, si_code SI_USER %d, si_pid ok %d\n", r, si.si_code == SI_USER, si.si_pid == getpid());

  pthread_t t;
  pthread_create(&t, 0, sender, 0);
  r = sigwaitinfo(&set, &si);
  printf("sent by another thread: RT+%d, SI_QUEUE %d, value %d, si_pid ok %d\n", r - SIGRTMIN, si.si_code == SI_QUEUE, si.si_value.sival_int,
         si.si_pid == getpid());
  struct timespec long_wait = { 60, 0 };
  r = sigtimedwait(&set, &si, &long_wait);
  printf("rt_tgsigqueueinfo: signal %d, SI_QUEUE %d, value %d\n", r, si.si_code == SI_QUEUE, si.si_value.sival_int);
  pthread_join(t, 0);

  /* rt_sigqueueinfo to ourselves, then the wait takes it. */
  memset(&si, 0, sizeof si);
  si.si_code = -55;
  si.si_value.sival_int = 5;
  syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 4, &si);
  memset(&si, 0, sizeof si);
  r = sigtimedwait(&set, &si, &short_wait);
  printf("rt_sigqueueinfo: RT+%d, code %d, value %d\n", r - SIGRTMIN, si.si_code, si.si_value.sival_int);

  sigset_t now;
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("still blocked after the waits: %d %d\n", sigismember(&now, SIGUSR1), sigismember(&now, SIGRTMIN + 4));
  errno = 0;
  r = sigtimedwait(&set, &si, &(struct timespec){ 0, 2000000000L });
  printf("bad timeout: %s\n", r == -1 && errno == EINVAL ? "EINVAL" : "accepted");
  return 0;
}
