/*
 * ARM semihosting in user mode, as qemu-arm serves it: `svc 0x123456` in
 * ARM state, `svc 0xab` in Thumb state, r0 the operation, r1 the argument.
 * Console (SYS_WRITE0 and SYS_WRITEC, on stderr as qemu-arm writes them;
 * SYS_WRITE to a ":tt" handle), files in
 * the current directory (a scratch directory, the --allow-dir under mttcg:
 * open/write/close/open/flen/seek/read/rename/remove, SYS_ERRNO after a
 * failed open), SYS_ISERROR, SYS_ISTTY, clocks (SYS_CLOCK, SYS_TIME,
 * SYS_ELAPSED, SYS_TICKFREQ), SYS_HEAPINFO, SYS_GET_CMDLINE (run with the
 * arguments `alpha beta`), then SYS_EXIT_EXTENDED with exit code 7.
 * The Thumb build makes the calls from Thumb state (svc 0xab) but the first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
  SYS_OPEN = 1, SYS_CLOSE = 2, SYS_WRITEC = 3, SYS_WRITE0 = 4, SYS_WRITE = 5, SYS_READ = 6, SYS_ISERROR = 8,
  SYS_ISTTY = 9, SYS_SEEK = 0xa, SYS_FLEN = 0xc, SYS_REMOVE = 0xe, SYS_RENAME = 0xf, SYS_CLOCK = 0x10,
  SYS_TIME = 0x11, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16, SYS_EXIT_EXTENDED = 0x20,
  SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31,
};

#ifdef __thumb__
/* The Thumb build (torture-tests/thumb-build.mk): every call is svc 0xab from
 * Thumb state but the first, made from an ARM-state function, since svc
 * 0x123456 has no Thumb encoding. */
static long semi(long op, const void *arg) {
  register long r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

__attribute__((target("arm"), noinline)) static long semi_arm(long op, const void *arg) {
  register long r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
#else
static long semi(long op, const void *arg) {
  register long r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
#define semi_arm semi
#endif

__attribute__((target("thumb"), noinline)) static long semi_thumb(long op, const void *arg) {
  register long r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static long open_file(const char *name, long mode) {
  long a[3] = { (long)name, mode, (long)strlen(name) };
  return semi(SYS_OPEN, a);
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  /* The semihosting console is stderr under qemu-arm: send it to stdout, in order, for the comparison. */
  dup2(1, 2);
  semi_arm(SYS_WRITE0, "hello via SYS_WRITE0\n");
  char c = 'C';
  semi(SYS_WRITEC, &c);
  c = '\n';
  semi(SYS_WRITEC, &c);
  semi_thumb(SYS_WRITE0, "hello from Thumb state (svc 0xab)\n");

  long tt = open_file(":tt", 4);
  static const char msg[] = "console through a :tt handle\n";
  long w[3] = { tt, (long)msg, sizeof msg - 1 };
  printf(":tt handle %s, SYS_WRITE leaves %ld bytes\n", tt > 0 ? "valid" : "invalid", semi(SYS_WRITE, w));
  long ttarg[1] = { tt };
  printf("SYS_ISTTY on a pipe or file: %ld\n", semi(SYS_ISTTY, ttarg));
  semi(SYS_CLOSE, ttarg);

  long h = open_file("semi-file", 4);
  long wr[3] = { h, (long)"0123456789", 10 };
  long wl = semi(SYS_WRITE, wr);
  long hc[1] = { h };
  printf("open for writing %s, write leaves %ld, close %ld\n", h > 0 ? "ok" : "failed", wl, semi(SYS_CLOSE, hc));
  h = open_file("semi-file", 0);
  long ha[1] = { h };
  long flen = semi(SYS_FLEN, ha);
  long sk[2] = { h, 4 };
  long sr = semi(SYS_SEEK, sk);
  char buf[16] = { 0 };
  long rd[3] = { h, (long)buf, 3 };
  long left = semi(SYS_READ, rd);
  printf("flen %ld, seek %ld, read 3 leaves %ld: '%s'\n", flen, sr, left, buf);
  memset(buf, 0, sizeof buf);
  long rd2[3] = { h, (long)buf, 10 };
  left = semi(SYS_READ, rd2);
  printf("read 10 at 7 leaves %ld: '%s'\n", left, buf);
  semi(SYS_CLOSE, ha);
  long rn[4] = { (long)"semi-file", 9, (long)"semi-file2", 10 };
  printf("rename %ld\n", semi(SYS_RENAME, rn));
  long gone = open_file("semi-file", 0);
  long err = semi(SYS_ERRNO, 0);
  printf("open the old name: %ld, SYS_ERRNO is ENOENT %d\n", gone, err == ENOENT);
  long rm[2] = { (long)"semi-file2", 10 };
  long rm1 = semi(SYS_REMOVE, rm);
  long rm2 = semi(SYS_REMOVE, rm);
  printf("remove %ld, again fails %d\n", rm1, rm2 != 0);
  long bad[1] = { 12345 };
  printf("close of a bad handle %ld\n", semi(SYS_CLOSE, bad));

  long e1[1] = { -1 }, e2[1] = { 5 };
  printf("SYS_ISERROR(-1) %ld, SYS_ISERROR(5) %ld\n", semi(SYS_ISERROR, e1), semi(SYS_ISERROR, e2));

  long clk = semi(SYS_CLOCK, 0);
  long t = semi(SYS_TIME, 0), now = time(0);
  unsigned long el1[2], el2[2];
  semi(SYS_ELAPSED, el1);
  for (volatile int i = 0; i < 100000; i++) {
  }
  semi(SYS_ELAPSED, el2);
  unsigned long long a = ((unsigned long long)el1[1] << 32) | el1[0], b = ((unsigned long long)el2[1] << 32) | el2[0];
  printf("clock >= 0 %d, time close to time() %d, elapsed grows %d, tick frequency > 0 %d\n", clk >= 0,
         now - t >= 0 && now - t <= 2, b > a, semi(SYS_TICKFREQ, 0) > 0);

  unsigned long info[4];
  void *infop = info;
  void *brk_before = sbrk(0);
  printf("SYS_HEAPINFO %ld\n", semi(SYS_HEAPINFO, &infop));
  printf("heap base is the break: %d, limit above it %d, stack base above the heap %d, stack limit %lu\n",
         info[0] == (unsigned long)brk_before, info[1] > info[0], info[2] > info[1], info[3]);

  char line[256];
  long cl[2] = { (long)line, sizeof line };
  long r = semi(SYS_GET_CMDLINE, cl);
  const char *args = strchr(line, ' ');
  printf("SYS_GET_CMDLINE %ld, length matches %d, arguments '%s'\n", r, cl[1] == (long)strlen(line), args ? args + 1 : "");
  long small[2] = { (long)line, 4 };
  printf("into 4 bytes: %ld\n", semi(SYS_GET_CMDLINE, small));

  long ex[2] = { 0x20026, 7 };
  semi(SYS_EXIT_EXTENDED, ex);
  printf("not reached\n");
  return 1;
}
