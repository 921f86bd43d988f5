/*
 * Old ABI (OABI) system calls: SWI #0x900000+n with the number in the
 * instruction (r7 is set to a wrong number to show it is not read):
 * write, getpid, time, the old mmap (arguments in a struct), pread64 and
 * ftruncate64 (OABI packs their 64-bit argument without EABI's padding
 * register), the ipc(2) multiplexer's shared memory calls, the ARM private
 * cacheflush (0x9f0002); an unknown private number is ENOSYS and SWI #5
 * (naming 0x900005) raises SIGILL ILL_ILLTRP at the SWI, the handler's
 * frame resuming after it. Run in a scratch directory (its file).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

/* One OABI call: the number is the SWI immediate, r7 holds a decoy. */
#define OABI(n, a0, a1, a2, a3, a4)                                                              \
  ({                                                                                             \
    register long r0 __asm__("r0") = (long)(a0);                                                \
    register long r1 __asm__("r1") = (long)(a1);                                                \
    register long r2 __asm__("r2") = (long)(a2);                                                \
    register long r3 __asm__("r3") = (long)(a3);                                                \
    register long r4 __asm__("r4") = (long)(a4);                                                \
    register long r7 __asm__("r7") = 9999;                                                      \
    __asm__ volatile("swi %[nr]" : "+r"(r0) : [nr] "i"(0x900000 + (n)), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r7) \
                     : "memory");                                                               \
    r0;                                                                                          \
  })

static volatile int ill_code;
static volatile unsigned long ill_addr, ill_pc;
static void on_ill(int sig, siginfo_t *si, void *uc_) {
  ucontext_t *uc = uc_;
  ill_code = si->si_code;
  ill_addr = (unsigned long)si->si_addr;
  ill_pc = uc->uc_mcontext.arm_pc;
}

int main(void) {
  static const char hello[] = "hello from OABI write\n";
  long r = OABI(4, 1, hello, sizeof hello - 1, 0, 0);
  printf("write returned %ld\n", r);
  printf("getpid matches %d\n", OABI(20, 0, 0, 0, 0, 0) == getpid());
  long t1 = OABI(13, 0, 0, 0, 0, 0), t2 = time(0);
  long stored = 0;
  OABI(13, &stored, 0, 0, 0, 0);
  printf("time close to time(): %d, stored %d\n", t2 - t1 >= 0 && t2 - t1 <= 2, stored >= t1 && stored - t1 <= 2);

  unsigned long margs[6] = { 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0 };
  char *m = (char *)OABI(90, margs, 0, 0, 0, 0);
  strcpy(m + 4096, "old mmap memory");
  printf("old mmap: page aligned %d, %s\n", ((unsigned long)m & 4095) == 0, m + 4096);
  margs[5] = 100;
  printf("old mmap with an unaligned offset: %ld\n", OABI(90, margs, 0, 0, 0, 0));

  int fd = open("oabi-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  write(fd, "0123456789abcdef", 16);
  char buf[8] = { 0 };
  /* pread64(fd, buf, count, offset lo, offset hi): no padding register in OABI. */
  r = OABI(180, fd, buf, 4, 10, 0);
  printf("pread64 at 10: %ld '%s'\n", r, buf);
  /* ftruncate64(fd, length lo, length hi). */
  r = OABI(194, fd, 5, 0, 0, 0);
  struct stat st;
  fstat(fd, &st);
  printf("ftruncate64 to 5: %ld, size %lld\n", r, (long long)st.st_size);
  close(fd);
  unlink("oabi-file");

  /* ipc(2): SHMGET 23, SHMAT 21 (address written to *third), SHMDT 22, SHMCTL 24. */
  long id = OABI(117, 23, IPC_PRIVATE, 4096, IPC_CREAT | 0600, 0);
  unsigned long at = 0;
  r = OABI(117, 21, id, 0, &at, 0);
  strcpy((char *)at, "segment via ipc");
  printf("ipc SHMGET %s, SHMAT %ld, reads %s\n", id >= 0 ? "ok" : "failed", r, (char *)at);
  printf("ipc SHMDT %ld, SHMCTL IPC_RMID %ld\n", OABI(117, 22, 0, 0, 0, at), OABI(117, 24, id, IPC_RMID, 0, 0));

  /* ARM private calls: cacheflush, an unknown one (ENOSYS). */
  printf("cacheflush %ld\n", OABI(0xf0002, m, m + 4096, 0, 0, 0));
  printf("unknown private call 0x9f07ff: %s\n", OABI(0xf07ff, 0, 0, 0, 0, 0) == -ENOSYS ? "ENOSYS" : "other");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_ill;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGILL, &sa, 0);
  unsigned long swi_at, after;
  __asm__ volatile("adr %0, 1f\n adr %1, 2f\n1: swi #5\n2:\n" : "=&r"(swi_at), "=&r"(after) : : "r0", "memory");
  printf("SWI #5: SIGILL code %d (ILL_ILLTRP 4), si_addr at the SWI %d, resumed after it %d\n", ill_code, ill_addr == swi_at,
         ill_pc == after);
  return 0;
}
