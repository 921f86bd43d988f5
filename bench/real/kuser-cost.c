/*
 * kuser-cost: the cost of one atomic increment through the kernel user
 * helper __kuser_cmpxchg (0xffff0fc0), the path every Debian armel program
 * takes for its atomics (ARMv5TE has no LDREX/STREX), beside the same
 * increment with LDREX/STREX and a plain increment, on one thread:
 *
 *   kuser-cost N   prints "KUSER mode=M ops=N ns=T" for M = plain, ldrex, kuser
 *
 * Each loop does the same work around the atomic (load, add, a volatile
 * counter); the difference of two modes' ns per op is the cost of the
 * atomic itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef int (*kuser_cmpxchg_t)(int oldval, int newval, volatile int *ptr);
#define KUSER_CMPXCHG ((kuser_cmpxchg_t)0xffff0fc0)

static volatile int counter;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void add_plain(void) { counter = counter + 1; }

static void add_ldrex(void) {
  int old, fail;
  do {
    __asm__ volatile("ldrex %0, [%2]\n\tadd %0, %0, #1\n\tstrex %1, %0, [%2]"
                     : "=&r"(old), "=&r"(fail) : "r"(&counter) : "memory");
  } while (fail);
}

static void add_kuser(void) {
  int old;
  do old = counter;
  while (KUSER_CMPXCHG(old, old + 1, &counter) != 0);
}

static void measure(const char *mode, void (*add)(void), long n) {
  counter = 0;
  long long t0 = now_ns();
  for (long i = 0; i < n; i++) add();
  long long t1 = now_ns();
  if (counter != (int)n) {
    printf("KUSER mode=%s wrong count %d of %ld\n", mode, counter, n);
    exit(1);
  }
  printf("KUSER mode=%s ops=%ld ns=%lld\n", mode, n, t1 - t0);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  /* A warm-up round of each, so that translation is not counted. */
  measure("plain", add_plain, n / 10 + 1);
  measure("ldrex", add_ldrex, n / 10 + 1);
  measure("kuser", add_kuser, n / 10 + 1);
  measure("plain", add_plain, n);
  measure("ldrex", add_ldrex, n);
  measure("kuser", add_kuser, n);
  return 0;
}
