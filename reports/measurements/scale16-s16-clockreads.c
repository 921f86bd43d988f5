/* scale16 throwaway: wall time of a guest's CLOCK_THREAD_CPUTIME_ID read, between busy stretches of 0.3-1.5 ms,
 * in the main thread (threads=1) or in each of T created threads at once. Prints median and quartiles in us. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static long long now(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static int cmp(const void *a, const void *b) { long long x = *(long long *)a, y = *(long long *)b; return x < y ? -1 : x > y; }
static volatile unsigned sink;
static void *run(void *arg) {
  long long us[200];
  for (int i = 0; i < 200; i++) {
    long long e = now(CLOCK_MONOTONIC) + 300000 + 97000 * (i % 13);
    while (now(CLOCK_MONOTONIC) < e) for (int k = 0; k < 100; k++) sink = sink * 31 + 7;
    long long t0 = now(CLOCK_MONOTONIC);
    now(CLOCK_THREAD_CPUTIME_ID);
    us[i] = (now(CLOCK_MONOTONIC) - t0) / 1000;
  }
  qsort(us, 200, sizeof us[0], cmp);
  printf("thread %ld: CPU clock read wall us: median %lld p25 %lld p75 %lld min %lld max %lld (n=200)\n", (long)arg, us[100], us[50], us[150], us[0], us[199]);
  return 0;
}
int main(int argc, char **argv) {
  int t = argc > 1 ? atoi(argv[1]) : 1;
  pthread_t th[8];
  for (long i = 0; i < t; i++) pthread_create(&th[i], 0, run, (void *)i);
  for (int i = 0; i < t; i++) pthread_join(th[i], 0);
  return 0;
}
