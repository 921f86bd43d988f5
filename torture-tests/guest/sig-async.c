/*
 * Asynchronous signals reach a thread that never makes a syscall: a tight
 * self-looping block, a loop over several blocks, and a computation whose
 * registers and flags must come through hundreds of interruptions intact.
 * Thread-directed (tgkill) and process-directed (kill, with every other
 * thread blocking the signal) delivery.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int stop, handled, handler_tid_ok;
static volatile pid_t spinner_tid;

static void on_signal(int sig) {
  handled++;
  if (syscall(SYS_gettid) == spinner_tid) handler_tid_ok++;
  if (sig == SIGUSR1 || sig == SIGUSR2) stop = 1;
}

static void *tight_loop(void *arg) {
  spinner_tid = syscall(SYS_gettid);
  unsigned long n = 0;
  while (!stop) n++;
  return (void *)(n > 0);
}

/* Several blocks per iteration (branches on the counter), still no syscall. */
static void *branchy_loop(void *arg) {
  spinner_tid = syscall(SYS_gettid);
  unsigned long a = 1, b = 2;
  while (!stop) {
    if (a & 1) a = a * 3 + 1; else a >>= 1;
    if (a > 1000000) b += a; else b ^= a;
  }
  return (void *)(b != 0);
}

/* A register-heavy computation interrupted again and again: its result must not change. */
static volatile int interrupts, compute_done;
static unsigned compute(unsigned rounds) {
  unsigned x = 0x12345678, y = 0x9abcdef0, z = 7, w = 0;
  for (unsigned i = 0; i < rounds; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    y += x * 2654435761u;
    z = (z << 3) | (z >> 29);
    if ((int)(x - y) < 0) w += z; else w -= y;
  }
  return x ^ y ^ z ^ w;
}
static void count_interrupt(int sig) { interrupts++; }
/* Repeats the computation until 20 signals have interrupted it; counts results that differ. */
static unsigned expected;
static void *computer(void *arg) {
  spinner_tid = syscall(SYS_gettid);
  unsigned long wrong = 0;
  do {
    if (compute((unsigned)(unsigned long)arg) != expected) wrong++;
  } while (interrupts < 20);
  compute_done = 1;
  return (void *)wrong;
}

static void sleep_ms(int ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, 0);
}

static void wait_for_tid(void) {
  while (spinner_tid == 0) sleep_ms(1);
}

static void run_spinner(const char *name, void *(*fn)(void *), int process_directed) {
  pthread_t t;
  stop = handled = handler_tid_ok = 0;
  spinner_tid = 0;
  pthread_create(&t, 0, fn, 0);
  wait_for_tid();
  sleep_ms(20);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  if (process_directed) {
    /* The main thread blocks SIGUSR2 (after creating the spinner, which must not inherit the mask). */
    pthread_sigmask(SIG_BLOCK, &usr2, 0);
    kill(getpid(), SIGUSR2);
  } else {
    syscall(SYS_tgkill, getpid(), spinner_tid, SIGUSR1);
  }
  void *ok;
  pthread_join(t, &ok);
  pthread_sigmask(SIG_UNBLOCK, &usr2, 0);
  printf("%s: stopped by its handler %d (handler ran on the spinning thread %d), loop ran %d\n", name, handled, handler_tid_ok,
         ok != 0);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, 0);
  sigaction(SIGUSR2, &sa, 0);
  sa.sa_handler = count_interrupt;
  sigaction(SIGRTMIN + 2, &sa, 0);

  run_spinner("tight loop, tgkill", tight_loop, 0);
  run_spinner("branchy loop, tgkill", branchy_loop, 0);
  /* Process-directed: the main thread blocks SIGUSR2, so only the spinner can take it. */
  run_spinner("tight loop, kill to the process", tight_loop, 1);

  const unsigned rounds = 20000;
  expected = compute(rounds);
  pthread_t t;
  spinner_tid = 0;
  pthread_create(&t, 0, computer, (void *)(unsigned long)rounds);
  wait_for_tid();
  while (!compute_done) {
    syscall(SYS_tgkill, getpid(), spinner_tid, SIGRTMIN + 2);

    sleep_ms(1);
  }
  void *r;
  pthread_join(t, &r);
  printf("computation interrupted by 20 or more signals %d: wrong results %lu\n", interrupts >= 20,
         (unsigned long)r);
  return 0;
}
