/*
 * Signal latency to a thread that never makes a syscall. A spinner thread
 * runs a loop of several blocks (no syscall); the main thread sends it
 * SIGUSR1 with tgkill, having read CLOCK_MONOTONIC just before, and the
 * handler reads the clock as its first action. The difference is the time
 * from the send to the handler's first instruction. After each sample the
 * sender sleeps 1 ms (so it does not compete with the spinner for a core).
 *
 *   signal-latency [samples]       default 200, after 20 warm-up sends
 *
 * Prints one line:
 *   BENCH workload=signal-latency samples=N p50=NS p90=NS p99=NS max=NS min=NS spins=HEX
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile long long handled_ns;
static volatile int acked, stop;
static volatile pid_t spinner_tid;
static volatile unsigned long spins;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_usr1(int sig) {
  handled_ns = now_ns();
  acked++;
}

static void *spinner(void *arg) {
  spinner_tid = syscall(SYS_gettid);
  unsigned long x = 88172645463325252UL, n = 0;
  while (!stop) {
    /* A few blocks per iteration, no syscall. */
    x ^= x << 13;
    x ^= x >> 7;
    if (x & 1) x += 0x9e3779b9; else x ^= 0x7f4a7c15;
    n++;
  }
  spins = n ^ x;
  return 0;
}

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

static void sleep_ms(int ms) {
  struct timespec ts = { 0, ms * 1000000L };
  nanosleep(&ts, 0);
}

int main(int argc, char **argv) {
  int samples = argc > 1 ? atoi(argv[1]) : 200;
  const int warmup = 20;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);
  /* Only the spinner takes SIGUSR1. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_t t;
  pthread_create(&t, 0, spinner, 0);
  pthread_sigmask(SIG_BLOCK, &usr1, 0);
  while (!spinner_tid) sleep_ms(1);
  sleep_ms(50);
  long long *lat = calloc(samples, sizeof *lat);
  for (int i = 0; i < warmup + samples; i++) {
    int want = acked + 1;
    long long t0 = now_ns();
    syscall(SYS_tgkill, getpid(), spinner_tid, SIGUSR1);
    while (acked < want) sleep_ms(1);
    if (i >= warmup) lat[i - warmup] = handled_ns - t0;
  }
  stop = 1;
  pthread_join(t, 0);
  qsort(lat, samples, sizeof *lat, cmp);
  printf("BENCH workload=signal-latency samples=%d p50=%lld p90=%lld p99=%lld max=%lld min=%lld spins=%lx\n", samples,
         lat[samples / 2], lat[samples * 9 / 10], lat[samples * 99 / 100], lat[samples - 1], lat[0], spins);
  return 0;
}
