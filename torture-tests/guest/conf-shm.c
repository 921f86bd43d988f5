/*
 * System V shared memory: shmget (IPC_PRIVATE and keys, IPC_CREAT/IPC_EXCL,
 * sizes), shmat (NULL, a chosen address, SHM_RND, SHM_RDONLY), shmdt,
 * shmctl (IPC_STAT, IPC_SET, IPC_RMID with the segment still attached),
 * two attachments of one segment (aliases), a segment shared with a forked
 * child, and atomic read-modify-write (LDREX/STREX and SWP-free CAS) from
 * two processes and from two threads through two aliases: the counts must
 * be exact under every atomic strategy that claims correctness.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 20000

static sigjmp_buf jb;
static volatile int segv;
static void on_segv(int sig) {
  segv++;
  siglongjmp(jb, 1);
}

static const char *err(long r) {
  static char b[32];
  if (r != -1) return "ok";
  snprintf(b, sizeof b, "%s", errno == EINVAL ? "EINVAL" : errno == EEXIST ? "EEXIST" : errno == ENOENT ? "ENOENT" : strerror(errno));
  return b;
}

static void add_many(volatile int *counter, volatile unsigned *cas_word) {
  for (int i = 0; i < ROUNDS; i++) {
    __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
    unsigned old = *cas_word;
    while (!__atomic_compare_exchange_n(cas_word, &old, old + 2, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
  }
}

struct alias_job { volatile int *counter; volatile unsigned *cas; };
static void *alias_thread(void *arg) {
  struct alias_job *j = arg;
  add_many(j->counter, j->cas);
  return 0;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_segv;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGSEGV, &sa, 0);

  int id = shmget(IPC_PRIVATE, 3 * 4096 + 100, IPC_CREAT | 0600);
  printf("shmget private: %s\n", id >= 0 ? "ok" : err(-1));
  struct shmid_ds ds;
  shmctl(id, IPC_STAT, &ds);
  printf("IPC_STAT: size %zu, nattch %lu, mode %o, creator is us %d\n", (size_t)ds.shm_segsz, (unsigned long)ds.shm_nattch,
         (unsigned)(ds.shm_perm.mode & 0777), ds.shm_cpid == getpid());

  char *a = shmat(id, NULL, 0);
  char *b = shmat(id, NULL, 0);
  printf("two attachments: distinct %d, zero-filled %d\n", a != b, a[0] == 0 && a[3 * 4096 + 99] == 0);
  strcpy(a + 4096, "through the first alias");
  printf("seen through the second: %s\n", b + 4096);
  shmctl(id, IPC_STAT, &ds);
  printf("nattch now %lu\n", (unsigned long)ds.shm_nattch);

  /* Atomics from two threads through the two aliases. */
  volatile int *ca = (volatile int *)a, *cb = (volatile int *)b;
  volatile unsigned *xa = (volatile unsigned *)(a + 64), *xb = (volatile unsigned *)(b + 64);
  struct alias_job ja = { ca, xa }, jb2 = { cb, xb };
  pthread_t t1, t2;
  pthread_create(&t1, 0, alias_thread, &ja);
  pthread_create(&t2, 0, alias_thread, &jb2);
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  printf("two threads, two aliases, %d increments each: counter %d, cas word %u\n", ROUNDS, *ca, *xa);

  /* A forked child shares the segment (inherited attachment) and adds concurrently. */
  *ca = 0;
  *xa = 0;
  pid_t pid = fork();
  if (pid == 0) {
    add_many(cb, xb);
    _exit(0);
  }
  add_many(ca, xa);
  int status;
  waitpid(pid, &status, 0);
  printf("parent and child, %d increments each: counter %d, cas word %u\n", ROUNDS, *ca, *xa);
  shmctl(id, IPC_STAT, &ds);
  printf("after the child exited: nattch %lu\n", (unsigned long)ds.shm_nattch);

  /* Detach one alias: the other still works; the detached one faults. */
  printf("shmdt: %s, shmdt again: %s\n", err(shmdt(b)), err(shmdt(b)));
  if (sigsetjmp(jb, 1) == 0) (void)*(volatile char *)b;
  printf("the detached address faults %d, the other alias still reads %s\n", segv, a + 4096);

  /* A chosen address: with SHM_RND rounded down to SHMLBA, without it refused. */
  char *hole = shmat(id, NULL, 0);
  shmdt(hole);
  char *at = shmat(id, hole + 100, 0);
  printf("attach at a misaligned address: %s\n", at == (void *)-1 ? err(-1) : "accepted");
  at = shmat(id, hole + 100, SHM_RND);
  printf("with SHM_RND: %s, rounded down to the free spot %d\n", at == (void *)-1 ? err(-1) : "ok", at == hole);
  char *clash = shmat(id, at, 0);
  printf("attach over an attachment: %s\n", clash == (void *)-1 ? err(-1) : "accepted");
  shmdt(at);

  /* SHM_RDONLY: reads work, a write faults. */
  char *ro = shmat(id, NULL, SHM_RDONLY);
  segv = 0;
  if (sigsetjmp(jb, 1) == 0) ro[4096] = 'X';
  printf("read-only attachment: reads %s, a write faults %d\n", ro + 4096, segv);
  shmdt(ro);

  /* IPC_SET and IPC_RMID while still attached: usable until the last detach, then gone. */
  ds.shm_perm.mode = 0640;
  printf("IPC_SET: %s\n", err(shmctl(id, IPC_SET, &ds)));
  shmctl(id, IPC_STAT, &ds);
  printf("mode now %o\n", (unsigned)(ds.shm_perm.mode & 0777));
  printf("IPC_RMID while attached: %s\n", err(shmctl(id, IPC_RMID, 0)));
  strcpy(a, "still there");
  printf("after IPC_RMID: %s\n", a);
  shmdt(a);
  printf("after the last detach: IPC_STAT %s, shmat %s\n", err(shmctl(id, IPC_STAT, &ds)), err((long)shmat(id, NULL, 0)));

  /* Keys. */
  key_t key = 0x6d740000 + (getpid() & 0xffff);
  int k1 = shmget(key, 8192, IPC_CREAT | 0600);
  int k2 = shmget(key, 4096, 0);
  printf("by key: created %s, found again %d\n", k1 >= 0 ? "ok" : err(-1), k1 == k2);
  printf("IPC_EXCL on an existing key: %s\n", err(shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600)));
  printf("bigger than the segment: %s\n", err(shmget(key, 3 * 8192, 0)));
  shmctl(k1, IPC_RMID, 0);
  printf("after IPC_RMID the key is free: %s\n", err(shmget(key, 4096, 0)));
  printf("size 0: %s\n", err(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600)));
  printf("bad id: shmat %s, shmctl %s\n", err((long)shmat(123456, NULL, 0)), err(shmctl(123456, IPC_STAT, &ds)));
  return 0;
}
