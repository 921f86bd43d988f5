/*
 * Pending signals: a blocked signal stays pending (sigpending) and runs as
 * soon as it is unblocked, before sigprocmask returns; standard signals
 * coalesce, real-time signals queue one per send with their values in
 * order; several pending signals run lowest number first (each handler's
 * frame stacks on the previous, so the last set up runs first); SIG_IGN
 * discards a pending signal; the old sigprocmask/sigpending forms.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char trace[256];
static int trace_len;
static void note(const char *s) {
  trace_len += snprintf(trace + trace_len, sizeof trace - trace_len, "%s ", s);
}

static void on_std(int sig) {
  char b[16];
  snprintf(b, sizeof b, "%s", sig == SIGUSR1 ? "USR1" : sig == SIGUSR2 ? "USR2" : sig == SIGHUP ? "HUP" : "?");
  note(b);
}
static void on_rt(int sig, siginfo_t *si, void *uc) {
  char b[32];
  snprintf(b, sizeof b, "RT%d:%d:%s", sig - SIGRTMIN, si->si_value.sival_int, si->si_code == SI_QUEUE ? "queue" : "other");
  note(b);
}

static void block(int sig, int how) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(how, &s, 0);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_std;
  sigaction(SIGUSR1, &sa, 0);
  sigaction(SIGUSR2, &sa, 0);
  sigaction(SIGHUP, &sa, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_rt;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGRTMIN + 1, &sa, 0);
  sigaction(SIGRTMIN + 3, &sa, 0);

  /* Blocked, pending, delivered at the unblock. */
  block(SIGUSR1, SIG_BLOCK);
  raise(SIGUSR1);
  raise(SIGUSR1);
  raise(SIGUSR1);
  sigset_t p;
  sigpending(&p);
  note("pending?");
  note(sigismember(&p, SIGUSR1) ? "yes" : "no");
  note("unblock");
  block(SIGUSR1, SIG_UNBLOCK);
  note("returned");
  printf("standard signal, three sends while blocked: %s\n", trace);
  trace_len = 0;

  /* Real-time signals queue, with their values, in order. */
  block(SIGRTMIN + 1, SIG_BLOCK);
  for (int v = 1; v <= 4; v++) sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = v * 10 });
  block(SIGRTMIN + 1, SIG_UNBLOCK);
  printf("real-time signal queued four times: %s\n", trace);
  trace_len = 0;

  /* Several pending at once: delivered lowest number first, so the highest handler runs first. */
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, 0);
  raise(SIGUSR2);
  raise(SIGHUP);
  sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 7 });
  raise(SIGUSR1);
  sigpending(&p);
  note("pending:");
  note(sigismember(&p, SIGHUP) && sigismember(&p, SIGUSR1) && sigismember(&p, SIGUSR2) && sigismember(&p, SIGRTMIN + 3) ? "all four" : "missing");
  sigprocmask(SIG_UNBLOCK, &all, 0);
  printf("four different signals unblocked together: %s\n", trace);
  trace_len = 0;

  /* Setting SIG_IGN discards a pending signal; a later handler does not see it. */
  block(SIGUSR2, SIG_BLOCK);
  raise(SIGUSR2);
  signal(SIGUSR2, SIG_IGN);
  sigpending(&p);
  note(sigismember(&p, SIGUSR2) ? "still-pending" : "discarded");
  signal(SIGUSR2, on_std);
  block(SIGUSR2, SIG_UNBLOCK);
  note("end");
  printf("SIG_IGN on a pending signal: %s\n", trace);
  trace_len = 0;

  /* The pre-rt syscalls (one-word sets). */
  unsigned long set = 1UL << (SIGUSR1 - 1), old = 0, pend = 0;
  syscall(SYS_sigprocmask, SIG_BLOCK, &set, &old);
  raise(SIGUSR1);
  syscall(SYS_sigpending, &pend);
  note((pend >> (SIGUSR1 - 1)) & 1 ? "old-pending" : "old-missing");
  syscall(SYS_sigprocmask, SIG_UNBLOCK, &set, 0);
  printf("old sigprocmask/sigpending: %s\n", trace);

  /* sigprocmask ignores attempts to block SIGKILL and SIGSTOP. */
  sigset_t ks, now;
  sigemptyset(&ks);
  sigaddset(&ks, SIGKILL);
  sigaddset(&ks, SIGSTOP);
  sigprocmask(SIG_BLOCK, &ks, 0);
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("SIGKILL blockable %d, SIGSTOP blockable %d\n", sigismember(&now, SIGKILL), sigismember(&now, SIGSTOP));
  return 0;
}
