/*
 * Hard and symbolic links, and creat. Run it in an empty scratch directory
 * (under mttcg: the only --allow-dir): link/linkat (with and without
 * AT_SYMLINK_FOLLOW), symlink/symlinkat, following and not following them,
 * dangling links, and the errors. With "link P" it only tries to hard-link P
 * to ./x, with "escape P" it makes ./esc point at P and opens it (the sandbox
 * tests: a file in a read-only tree, a file outside every allowed one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *res(long r) {
  if (r >= 0) return "0";
  const char *n = strerrorname_np(errno);
  return n ? n : "?";
}

static void describe(const char *p) {
  struct stat st;
  if (lstat(p, &st) != 0) { printf("  %s: %s\n", p, res(-1)); return; }
  const char *type = S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : "other";
  printf("  %s: %s, links %lu, size %lld\n", p, type, (unsigned long)st.st_nlink, (long long)st.st_size);
}

static void contents(const char *p) {
  char buf[64] = {0};
  int fd = open(p, O_RDONLY);
  if (fd < 0) { printf("  open %s: %s\n", p, res(-1)); return; }
  long n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("  read %s: %ld '%s'\n", p, n, buf);
}

int main(int argc, char **argv) {
  umask(022);
  if (argc == 3 && strcmp(argv[1], "link") == 0) {
    printf("link %s: %s\n", argv[2], res(link(argv[2], "x")));
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "escape") == 0) {
    printf("symlink: %s\n", res(symlink(argv[2], "esc")));
    int fd = open("esc", O_RDONLY);
    printf("open through it: %s\n", res(fd));
    return 0;
  }

  int fd = creat("a", 0640);
  printf("creat a: %s, wrote %ld\n", res(fd), (long)write(fd, "hello", 5));
  close(fd);
  fd = creat("a", 0600);
  struct stat st;
  fstat(fd, &st);
  printf("creat again: size %lld, mode %o (kept)\n", (long long)st.st_size, st.st_mode & 0777);
  write(fd, "first", 5);
  close(fd);

  printf("link a b: %s\n", res(link("a", "b")));
  fd = open("b", O_WRONLY | O_APPEND);
  write(fd, "+b", 2);
  close(fd);
  describe("a");
  contents("a");
  printf("link a b again: %s, missing source: %s, a directory: %s, into a missing dir: %s\n", res(link("a", "b")),
         res(link("none", "c")), res(link(".", "d")), res(link("a", "nodir/c")));

  printf("symlink a s: %s\n", res(symlink("a", "s")));
  char target[64] = {0};
  printf("readlink s: %ld '%s'\n", (long)readlink("s", target, sizeof target - 1), target);
  describe("s");
  contents("s");
  printf("symlink nowhere dangling: %s\n", res(symlink("nowhere", "dangling")));
  describe("dangling");
  contents("dangling");
  printf("symlink over an existing name: %s, empty target: %s\n", res(symlink("x", "s")), res(symlink("", "e")));

  printf("linkat s hs (not following): %s\n", res(linkat(AT_FDCWD, "s", AT_FDCWD, "hs", 0)));
  describe("hs");
  printf("linkat s hf AT_SYMLINK_FOLLOW: %s\n", res(linkat(AT_FDCWD, "s", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW)));
  describe("hf");
  printf("linkat bad flags: %s\n", res(linkat(AT_FDCWD, "a", AT_FDCWD, "hz", 0x8)));

  mkdir("sub", 0755);
  int dir = open("sub", O_RDONLY | O_DIRECTORY);
  printf("symlinkat ../a into sub: %s, linkat a into sub: %s\n", res(symlinkat("../a", dir, "up")),
         res(linkat(AT_FDCWD, "a", dir, "a2", 0)));
  describe("sub/up");
  contents("sub/up");
  describe("sub/a2");

  printf("unlink b, hf, sub/a2: %s %s %s\n", res(unlink("b")), res(unlink("hf")), res(unlink("sub/a2")));
  describe("a");
  printf("unlink a, then s dangles\n");
  unlink("a");
  contents("s");
  return 0;
}
