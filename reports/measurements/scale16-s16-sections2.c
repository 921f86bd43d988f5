/* scale16 throwaway: T threads, each running S timed sections of parallel-compute's unit kernel (U units each),
 * back to back in one process; prints each thread's CPU time per section (ms, CLOCK_THREAD_CPUTIME_ID).
 * A thread whose sections are all slow against the other's all fast is slow by something of its own (its
 * code); slowness that comes and goes across threads and sections is the host's. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static int S = 8, U = 50000;
static long long cpu_ns(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static inline uint32_t unit(uint32_t seed) {
  uint32_t a[32], x = seed | 1, h = 2166136261u;
  for (int i = 0; i < 32; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; a[i] = x; }
  for (int i = 1; i < 32; i++) { uint32_t v = a[i]; int j = i - 1; while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; } a[j + 1] = v; }
  for (int i = 0; i < 32; i++) h = (h ^ a[i]) * 16777619u;
  return h;
}
static double ms[8][64];
static volatile uint32_t sink[8 * 16];
static void *run(void *arg) {
  long t = (long)arg; uint32_t acc = (uint32_t)t * 0x9e3779b9u;
  for (int i = 0; i < U; i++) acc += unit(acc + (uint32_t)i); /* warm-up */
  for (int s = 0; s < S; s++) {
    long long c0 = cpu_ns();
    for (int i = 0; i < U; i++) acc += unit(acc + (uint32_t)i);
    ms[t][s] = (cpu_ns() - c0) / 1e6;
  }
  sink[t * 16] = acc;
  return 0;
}
int main(int argc, char **argv) {
  int T = argc > 1 ? atoi(argv[1]) : 2; if (argc > 2) S = atoi(argv[2]); if (argc > 3) U = atoi(argv[3]);
  pthread_t th[8];
  for (long i = 0; i < T; i++) pthread_create(&th[i], 0, run, (void *)i);
  for (int i = 0; i < T; i++) pthread_join(th[i], 0);
  for (int t = 0; t < T; t++) { printf("thread %d:", t); for (int s = 0; s < S; s++) printf(" %.1f", ms[t][s]); printf("\n"); }
  return 0;
}
