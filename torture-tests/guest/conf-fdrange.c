/*
 * fallocate, close_range, sync and syncfs. Run it in an empty scratch
 * directory (under mttcg: the only --allow-dir). fallocate grows a file
 * (mode 0), leaves its size (KEEP_SIZE), zeroes a range inside it
 * (PUNCH_HOLE|KEEP_SIZE), and its errors in Linux's order; close_range closes
 * or marks close-on-exec a range of fds, up to ~0U.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *res(long r) {
  if (r == 0) return "0";
  const char *n = strerrorname_np(errno);
  return n ? n : "?";
}

static long size_of(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? (long)st.st_size : -1;
}

static long cr(unsigned first, unsigned last, unsigned flags) { return syscall(SYS_close_range, first, last, flags); }

static void fd_states(const char *what, int from, int to) {
  printf("%s:", what);
  for (int fd = from; fd <= to; fd++) {
    int fl = fcntl(fd, F_GETFD);
    printf(" %d=%s", fd, fl < 0 ? "closed" : fl & FD_CLOEXEC ? "cloexec" : "open");
  }
  printf("\n");
}

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (write(fd, "0123456789abcdefghij", 20) != 20) return 1;
  printf("grow to 4096: %s, size %ld\n", res(fallocate(fd, 0, 1000, 3096)), size_of(fd));
  printf("inside, mode 0: %s, size %ld\n", res(fallocate(fd, 0, 0, 10)), size_of(fd));
  printf("keep size past the end: %s, size %ld\n", res(fallocate(fd, FALLOC_FL_KEEP_SIZE, 4000, 9000)), size_of(fd));
  long r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4, 6);
  char buf[21] = {0};
  pread(fd, buf, 20, 0);
  for (int i = 0; i < 20; i++) if (buf[i] == 0) buf[i] = '.';
  printf("punch 4..9: %s, size %ld, bytes '%s'\n", res(r), size_of(fd), buf);
  char tail[8];
  pread(fd, tail, 8, 4088);
  int zeros = 0;
  for (int i = 0; i < 8; i++) zeros += tail[i] == 0;
  printf("grown bytes read as zeros: %d of 8\n", zeros);

  int ro = open("f", O_RDONLY);
  int p[2];
  pipe(p);
  int null = open("/dev/null", O_WRONLY);
  printf("errors: len 0 %s, negative offset %s, punch without keep %s, read-only %s, pipe %s, /dev/null %s, bad fd %s\n",
         res(fallocate(fd, 0, 0, 0)), res(fallocate(fd, 0, -1, 10)), res(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10)),
         res(fallocate(ro, 0, 0, 10)), res(fallocate(p[1], 0, 0, 10)), res(fallocate(null, 0, 0, 10)),
         res(fallocate(99, 0, 0, 10)));

  printf("sync: %s, syncfs: %s, syncfs of a bad fd: %s\n", (sync(), "0"), res(syncfs(fd)), res(syncfs(99)));

  /* Fds 3..: f, ro, the pipe's ends, /dev/null; five more dups from 20. */
  for (int i = 0; i < 5; i++) dup2(fd, 20 + i);
  fd_states("before", 20, 24);
  printf("cloexec 21..22: %s\n", res(cr(21, 22, CLOSE_RANGE_CLOEXEC)));
  fd_states("after", 20, 24);
  printf("close 23..~0: %s\n", res(cr(23, ~0U, 0)));
  fd_states("after", 20, 24);
  printf("first > last: %s, unknown flag: %s\n", res(cr(5, 4, 0)), res(cr(20, 20, 1u << 8)));
  printf("close 20..20 twice: %s %s\n", res(cr(20, 20, 0)), res(cr(20, 20, 0)));
  fd_states("at the end", 20, 24);
  return 0;
}
