/*
 * sendfile, sendfile64 and preadv/pwritev. Run it in an empty scratch
 * directory (under mttcg: the only --allow-dir). A 100,000-byte file goes to
 * another file, to a pipe drained by a thread, and a slice of it to stdout;
 * with and without an offset pointer (which must leave the input's offset
 * alone), from a 32-bit and a 64-bit offset; then the errors Linux gives in
 * its order (bad fds, a pipe or directory as input, O_APPEND output, a
 * negative offset, an unreadable offset pointer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define SIZE 100000

static const char *res(long r) {
  static char buf[32];
  if (r >= 0) { snprintf(buf, sizeof buf, "%ld", r); return buf; }
  const char *n = strerrorname_np(errno);
  return n ? n : "?";
}

static unsigned char byte_at(long i) { return (unsigned char)('a' + (i * 7 + i / 251) % 26); }

static uint32_t sum_of(const unsigned char *p, long n, uint32_t h) {
  for (long i = 0; i < n; i++) h = h * 31 + p[i];
  return h;
}

static uint32_t sum_file(const char *path) {
  static unsigned char buf[SIZE];
  int fd = open(path, O_RDONLY);
  long n = read(fd, buf, sizeof buf);
  close(fd);
  return n < 0 ? 0 : sum_of(buf, n, (uint32_t)n);
}

static long sf64(int out, int in, int64_t *off, size_t n) { return syscall(SYS_sendfile64, out, in, off, n); }
static long sf32(int out, int in, int32_t *off, size_t n) { return syscall(SYS_sendfile, out, in, off, n); }
static long here(int fd) { return (long)lseek(fd, 0, SEEK_CUR); }

struct drain { int fd; long n; uint32_t sum; };

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void *drainer(void *arg) {
  struct drain *d = arg;
  unsigned char buf[4096];
  long r;
  d->sum = 0;
  while ((r = read(d->fd, buf, sizeof buf)) > 0) {
    d->sum = sum_of(buf, r, d->sum);
    d->n += r;
  }
  return NULL;
}

int main(void) {
  static unsigned char data[SIZE];
  for (long i = 0; i < SIZE; i++) data[i] = byte_at(i);
  int src = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (write(src, data, SIZE) != SIZE) { puts("setup failed"); return 1; }
  lseek(src, 0, SEEK_SET);
  uint32_t want = sum_of(data, SIZE, SIZE);

  int dst = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  long r = sf64(dst, src, NULL, SIZE + 500);
  printf("file to file, no offset: %s, input offset %ld, copy %s\n", res(r), here(src),
         sum_file("dst") == want ? "equal" : "differs");
  printf("at the end: %s\n", res(sf64(dst, src, NULL, 10)));

  int64_t off64 = 99990;
  r = sf64(dst, src, &off64, 100);
  printf("sendfile64 from 99990: %s, offset now %lld, input offset %ld\n", res(r), (long long)off64, here(src));
  int32_t off32 = 26;
  lseek(src, 5, SEEK_SET);
  int part = open("part", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  r = sf32(part, src, &off32, 13);
  char got[32] = {0};
  int pr = open("part", O_RDONLY);
  long pn = read(pr, got, sizeof got - 1);
  printf("sendfile from 26: %s, offset now %d, input offset %ld, bytes %ld '%s' (want '%.13s')\n", res(r), off32,
         here(src), pn, got, (const char *)data + 26);
  close(pr);

  int p[2];
  if (pipe(p) != 0) return 1;
  struct drain d = { p[0], 0, 0 };
  pthread_t t;
  pthread_create(&t, NULL, drainer, &d);
  /* Linux moves at most a pipe's capacity per call: the caller loops, as cat does. */
  off64 = 0;
  long total = 0;
  while (total < SIZE && (r = sf64(p[1], src, &off64, SIZE - total)) > 0) total += r;
  close(p[1]);
  pthread_join(t, NULL);
  printf("file to pipe: %ld, offset %lld, reader got %ld bytes, %s\n", total, (long long)off64, d.n,
         d.sum == sum_of(data, SIZE, 0) ? "equal" : "differs");
  close(p[0]);

  fflush(stdout);
  off64 = 1000;
  fputs("to stdout: [", stdout);
  fflush(stdout);
  r = sf64(1, src, &off64, 20);
  printf("] %s\n", res(r));

  /* A pipe with no reader: SIGPIPE to the caller, and EPIPE. */
  signal(SIGPIPE, on_sigpipe);
  if (pipe(p) != 0) return 1;
  close(p[0]);
  off64 = 0;
  r = sf64(p[1], src, &off64, 10);
  printf("pipe without a reader: %s, SIGPIPE caught %d, offset %lld\n", res(r), (int)sigpipes, (long long)off64);
  close(p[1]);

  /* Errors, in Linux's order. */
  if (pipe(p) != 0) return 1;
  write(p[1], "xyz", 3);
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  int app = open("app", O_WRONLY | O_CREAT | O_APPEND, 0644);
  int wo = open("dst", O_WRONLY);
  int ro = open("dst", O_RDONLY);
  printf("pipe as input: %s", res(sf64(dst, p[0], NULL, 3)));
  off64 = 0;
  printf(", with an offset: %s\n", res(sf64(dst, p[0], &off64, 3)));
  printf("directory as input: %s\n", res(sf64(dst, dir, NULL, 3)));
  printf("O_APPEND output: %s\n", res(sf64(app, src, NULL, 3)));
  off64 = -1;
  printf("negative offset: %s\n", res(sf64(dst, src, &off64, 3)));
  printf("input not readable: %s\n", res(sf64(dst, wo, NULL, 3)));
  printf("output not writable: %s\n", res(sf64(ro, src, NULL, 3)));
  printf("bad fds: %s %s\n", res(sf64(99, src, NULL, 3)), res(sf64(dst, 99, NULL, 3)));
  printf("bad offset pointer: %s\n", res(sf64(dst, src, (int64_t *)16, 3)));
  printf("count 0: %s\n", res(sf64(dst, src, NULL, 0)));

  /* preadv/pwritev: at a position, the file offset unchanged. */
  lseek(src, 7, SEEK_SET);
  struct iovec wv[2] = { { "HELLO", 5 }, { "-world", 6 } };
  r = pwritev(src, wv, 2, 50000);
  char a[4] = {0}, b[8] = {0};
  struct iovec rv[2] = { { a, 3 }, { b, 7 } };
  long r2 = preadv(src, rv, 2, 49999);
  printf("pwritev: %s", res(r));
  printf(", preadv: %s '%s|%s', offset %ld\n", res(r2), a, b, here(src));
  printf("preadv past the end: %s\n", res(preadv(src, rv, 2, SIZE + 10)));
  printf("preadv on a pipe: %s\n", res(preadv(p[0], rv, 2, 0)));
  errno = 0;
  printf("preadv at a negative position: %s\n", res(syscall(SYS_preadv, src, rv, 2, 0xffffffffu, 0xffffffffu)));
  return 0;
}
