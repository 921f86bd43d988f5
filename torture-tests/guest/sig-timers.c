/*
 * Timers: alarm, setitimer/getitimer (ITIMER_REAL periodic, ITIMER_VIRTUAL
 * and ITIMER_PROF while spinning), POSIX timers on CLOCK_MONOTONIC and
 * CLOCK_REALTIME (relative and TIMER_ABSTIME) with SIGEV_SIGNAL (si_code,
 * si_value, si_timerid), SIGEV_NONE, SIGEV_THREAD_ID to a chosen thread and
 * glibc's SIGEV_THREAD; overruns while the signal stays blocked;
 * timer_gettime, timer_getoverrun and timer_delete. Nothing printed depends
 * on how fast the host is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int alarms, vtalarms, profs, thread_hits;
static volatile pid_t hit_tid;

static void on_alarm(int sig) { alarms++; }
static void on_vtalrm(int sig) { vtalarms++; }
static void on_prof(int sig) { profs++; }
/* hit_tid first: the main thread reads it as soon as it sees thread_hits. */
static void on_usr1(int sig) { hit_tid = syscall(SYS_gettid); thread_hits++; }

static void handle(int sig, void (*h)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sigaction(sig, &sa, 0);
}

static void sleep_ms(int ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static volatile int stop_worker;
static volatile pid_t worker_tid;
static void *worker(void *arg) {
  worker_tid = syscall(SYS_gettid);
  while (!stop_worker) sleep_ms(5);
  return 0;
}

static sem_t callback_done;
static volatile int callback_value;
static void timer_callback(union sigval v) {
  callback_value = v.sival_int;
  sem_post(&callback_done);
}

int main(void) {
  sigset_t none;
  sigemptyset(&none);

  /* alarm */
  handle(SIGALRM, on_alarm);
  printf("alarm(5) returns %u, then alarm(0) returns %u\n", alarm(5), alarm(0));
  alarm(1);
  pause();
  printf("alarm(1) then pause: SIGALRM handled %d\n", alarms);

  /* setitimer ITIMER_REAL, periodic */
  alarms = 0;
  struct itimerval iv = { { 0, 50000 }, { 0, 50000 } }, cur;
  setitimer(ITIMER_REAL, &iv, 0);
  getitimer(ITIMER_REAL, &cur);
  printf("ITIMER_REAL: interval %ld us, value within it %d\n", (long)cur.it_interval.tv_usec,
         cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 50000);
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, 0);
  while (alarms < 5) sigsuspend(&none);
  struct itimerval off = { { 0, 0 }, { 0, 0 } };
  setitimer(ITIMER_REAL, &off, &cur);
  sigprocmask(SIG_UNBLOCK, &alrm, 0);
  printf("ITIMER_REAL every 50 ms: 5 SIGALRMs handled %d, old interval %ld us\n", alarms >= 5, (long)cur.it_interval.tv_usec);
  getitimer(ITIMER_REAL, &cur);
  printf("disarmed: value %ld.%06ld\n", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);

  /* ITIMER_VIRTUAL and ITIMER_PROF count CPU time: they fire while we spin. */
  handle(SIGVTALRM, on_vtalrm);
  handle(SIGPROF, on_prof);
  struct itimerval cpu = { { 0, 0 }, { 0, 20000 } };
  setitimer(ITIMER_VIRTUAL, &cpu, 0);
  setitimer(ITIMER_PROF, &cpu, 0);
  volatile unsigned long spin = 0;
  while (!vtalarms || !profs) spin++;
  printf("ITIMER_VIRTUAL and ITIMER_PROF fired while spinning: %d %d\n", vtalarms, profs);

  /* A POSIX timer on CLOCK_MONOTONIC: SIGEV_SIGNAL with a value, taken by sigwaitinfo. */
  int rt = SIGRTMIN + 1;
  sigset_t rts;
  sigemptyset(&rts);
  sigaddset(&rts, rt);
  sigprocmask(SIG_BLOCK, &rts, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = rt;
  ev.sigev_value.sival_int = 42;
  timer_t t1;
  printf("timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t1));
  struct itimerspec ten = { { 0, 0 }, { 10, 0 } }, its = { { 0, 0 }, { 0, 30 * 1000000L } }, got;
  timer_settime(t1, 0, &ten, 0);
  timer_gettime(t1, &got);
  printf("armed for 10 s: remaining within it %d, no interval %d\n", got.it_value.tv_sec < 10 &&
         (got.it_value.tv_sec > 0 || got.it_value.tv_nsec > 0), got.it_interval.tv_sec == 0 && got.it_interval.tv_nsec == 0);
  struct itimerspec old;
  timer_settime(t1, 0, &its, &old);
  printf("re-armed for 30 ms: the old setting had time left %d\n", old.it_value.tv_sec < 10 && (old.it_value.tv_sec > 0 || old.it_value.tv_nsec > 0));
  siginfo_t si;
  int s = sigwaitinfo(&rts, &si);
  printf("expiry: RT+%d, SI_TIMER %d, value %d, timer id matches %d, overrun %d\n", s - SIGRTMIN, si.si_code == SI_TIMER,
         si.si_value.sival_int, si.si_timerid == (int)(long)t1, si.si_overrun);
  timer_gettime(t1, &got);
  printf("after a one-shot expiry: %ld.%09ld\n", (long)got.it_value.tv_sec, got.it_value.tv_nsec);

  /* Periodic every 10 ms while its signal stays blocked: one signal, the rest are overruns. */
  struct itimerspec every10 = { { 0, 10 * 1000000L }, { 0, 10 * 1000000L } };
  timer_settime(t1, 0, &every10, 0);
  sleep_ms(150);
  s = sigwaitinfo(&rts, &si);
  int ov = timer_getoverrun(t1);
  printf("blocked 150 ms with a 10 ms period: one signal, overrun at least 5 %d, timer_getoverrun agrees %d\n",
         si.si_overrun >= 5, ov == si.si_overrun);
  printf("timer_delete: %d, then timer_settime: %s\n", timer_delete(t1),
         timer_settime(t1, 0, &its, 0) == -1 && errno == EINVAL ? "EINVAL" : "accepted");

  /* CLOCK_REALTIME, TIMER_ABSTIME. */
  timer_t t2;
  timer_create(CLOCK_REALTIME, &ev, &t2);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  now.tv_nsec += 40 * 1000000L;
  if (now.tv_nsec >= 1000000000L) { now.tv_sec++; now.tv_nsec -= 1000000000L; }
  struct itimerspec at = { { 0, 0 }, now };
  timer_settime(t2, TIMER_ABSTIME, &at, 0);
  s = sigwaitinfo(&rts, &si);
  printf("CLOCK_REALTIME absolute: RT+%d, value %d\n", s - SIGRTMIN, si.si_value.sival_int);
  timer_delete(t2);

  /* SIGEV_NONE: the timer runs down, no signal. */
  timer_t t3;
  struct sigevent evnone = { .sigev_notify = SIGEV_NONE };
  timer_create(CLOCK_MONOTONIC, &evnone, &t3);
  struct itimerspec long_one = { { 0, 0 }, { 10, 0 } };
  timer_settime(t3, 0, &long_one, 0);
  sleep_ms(20);
  timer_gettime(t3, &got);
  printf("SIGEV_NONE: counting down %d\n", got.it_value.tv_sec < 10 && (got.it_value.tv_sec > 0 || got.it_value.tv_nsec > 0));
  timer_delete(t3);

  /* SIGEV_THREAD_ID: the signal goes to the chosen thread. */
  handle(SIGUSR1, on_usr1);
  pthread_t w;
  pthread_create(&w, 0, worker, 0);
  while (!worker_tid) sleep_ms(1);
  struct sigevent evtid;
  memset(&evtid, 0, sizeof evtid);
  evtid.sigev_notify = SIGEV_THREAD_ID;
  evtid.sigev_signo = SIGUSR1;
  evtid._sigev_un._tid = worker_tid;
  timer_t t4;
  printf("SIGEV_THREAD_ID timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &evtid, &t4));
  struct itimerspec soon = { { 0, 0 }, { 0, 20 * 1000000L } };
  timer_settime(t4, 0, &soon, 0);
  while (!thread_hits) sleep_ms(2);
  printf("SIGEV_THREAD_ID: handled on the chosen thread %d\n", hit_tid == worker_tid);
  timer_delete(t4);
  stop_worker = 1;
  pthread_join(w, 0);
  evtid._sigev_un._tid = 99999;
  printf("SIGEV_THREAD_ID to no such thread: %s\n", timer_create(CLOCK_MONOTONIC, &evtid, &t4) == -1 && errno == EINVAL ? "EINVAL" : "accepted");

  /* glibc's SIGEV_THREAD: the callback runs in a thread glibc starts. */
  sem_init(&callback_done, 0, 0);
  struct sigevent evthr;
  memset(&evthr, 0, sizeof evthr);
  evthr.sigev_notify = SIGEV_THREAD;
  evthr.sigev_notify_function = timer_callback;
  evthr.sigev_value.sival_int = 99;
  timer_t t5;
  printf("SIGEV_THREAD timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &evthr, &t5));
  timer_settime(t5, 0, &soon, 0);
  sem_wait(&callback_done);
  printf("SIGEV_THREAD: callback ran with value %d\n", callback_value);
  timer_delete(t5);

  struct sigevent bad = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 99 };
  printf("bad signal number: %s\n", timer_create(CLOCK_MONOTONIC, &bad, &t5) == -1 && errno == EINVAL ? "EINVAL" : "accepted");
  printf("bad clock: %s\n", timer_create(12345, &ev, &t5) == -1 && errno == EINVAL ? "EINVAL" : "accepted");
  return 0;
}
