/*
 * Signals sent to the emulator by the host. Run by test/host-signals.test.ts,
 * which waits for "ready" and then signals the emulator process:
 *   sig-host handle    handles SIGHUP, SIGINT, SIGTERM, SIGWINCH and SIGCHLD,
 *                      prints what arrived once all five have, exits 0;
 *   sig-host ignore    ignores SIGINT, then handles SIGTERM: exits 4 in its handler;
 *   sig-host default   default actions: SIGWINCH changes nothing, SIGTERM kills (143).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int got[32];
static volatile int total;

static void on_signal(int sig, siginfo_t *si, void *uc) {
  got[sig]++;
  total++;
  if (si->si_code != SI_USER) got[0]++;
}

static void on_term_exit(int sig) {
  static const char msg[] = "SIGTERM handled after SIGINT was ignored\n";
  if (write(1, msg, sizeof msg - 1) < 0) _exit(5);
  _exit(4);
}

static void ready(void) {
  printf("ready\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "handle";
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  if (strcmp(mode, "handle") == 0) {
    static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGWINCH, SIGCHLD };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    for (int i = 0; i < 5; i++) sigaction(sigs[i], &sa, 0);
    sigprocmask(SIG_BLOCK, &all, 0);
    ready();
    while (total < 5) sigsuspend(&none);
    printf("HUP %d INT %d TERM %d WINCH %d CHLD %d, not from a process %d\n", got[SIGHUP], got[SIGINT], got[SIGTERM],
           got[SIGWINCH], got[SIGCHLD], got[0]);
    return 0;
  }
  if (strcmp(mode, "ignore") == 0) {
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, on_term_exit);
    ready();
    for (;;) pause();
  }
  ready();
  for (;;) pause();
}
