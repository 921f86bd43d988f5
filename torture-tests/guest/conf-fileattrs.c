/*
 * File attributes: chmod, fchmod, fchmodat; utimensat (64-bit time through
 * glibc, 32-bit time through the raw syscall), futimens, utimes, UTIME_OMIT
 * and UTIME_NOW; chown/fchown that change nothing; statvfs/fstatvfs on a
 * directory, a file and a pipe. Run it in an empty scratch directory (under
 * mttcg: the only --allow-dir). The times set are whole or half or quarter
 * seconds: mttcg sets times through Node's fs.utimes (seconds as a double),
 * which keeps those exact and rounds finer nanoseconds. With "fd N" or
 * "path P" it only tries to change fd N's or P's mode and times (sandbox tests).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *err(int r) {
  if (r == 0) return "0";
  const char *n = strerrorname_np(errno);
  return n ? n : "?";
}

static unsigned mode_of(const char *p) {
  struct stat st;
  if (stat(p, &st) != 0) return 0xffffffffu;
  return st.st_mode & 07777;
}

static void times_of(const char *what, const char *p) {
  struct stat st;
  if (stat(p, &st) != 0) { printf("%s: stat %s\n", what, err(-1)); return; }
  printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void fs_of(const char *what, int r, const struct statvfs *v) {
  if (r != 0) { printf("%s: %s\n", what, err(r)); return; }
  printf("%s: namemax %lu, bsize>0 %d, frsize==bsize %d, blocks>0 %d, bavail<=bfree %d, rdonly %d\n", what,
         (unsigned long)v->f_namemax, v->f_bsize > 0, v->f_frsize == v->f_bsize, v->f_blocks > 0,
         v->f_bavail <= v->f_bfree, (v->f_flag & ST_RDONLY) != 0);
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "fd") == 0) {
    /* Sandbox checks (test/linux-user.test.ts): an fd the guest did not open inside --allow-dir. */
    int n = atoi(argv[2]);
    struct timespec t[2] = {{1000000000, 0}, {1000000000, 0}};
    printf("fchmod %d: %s, futimens: %s\n", n, err(fchmod(n, 0600)), err(futimens(n, t)));
    return 0;
  }
  if (argc > 2 && strcmp(argv[1], "path") == 0) {
    printf("chmod %s: %s\n", argv[2], err(chmod(argv[2], 0600)));
    return 0;
  }
  int fd = open("f", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) { printf("open: %s\n", err(-1)); return 1; }
  if (write(fd, "x", 1) != 1) return 1;
  printf("fchmod 0600: %s, mode %o\n", err(fchmod(fd, 0600)), mode_of("f"));
  printf("chmod 0640: %s, mode %o\n", err(chmod("f", 0640)), mode_of("f"));
  printf("fchmodat 0604: %s, mode %o\n", err(fchmodat(AT_FDCWD, "f", 0604, 0)), mode_of("f"));
  printf("chmod 04755 keeps setuid: %s, mode %o\n", err(chmod("f", 04755)), mode_of("f"));
  printf("chmod missing: %s\n", err(chmod("missing", 0600)));
  printf("mkdir d, chmod 0700: %d %s, mode %o\n", mkdir("d", 0755), err(chmod("d", 0700)), mode_of("d"));
  printf("fchmod bad fd: %s\n", err(fchmod(99, 0600)));

  struct timespec ts[2] = {{1000000000, 500000000}, {1234567890, 250000000}};
  printf("utimensat: %s\n", err(utimensat(AT_FDCWD, "f", ts, 0)));
  times_of("  set", "f");
  ts[0].tv_nsec = UTIME_OMIT;
  ts[1].tv_sec = 1300000000;
  ts[1].tv_nsec = 0;
  printf("utimensat atime UTIME_OMIT: %s\n", err(utimensat(AT_FDCWD, "f", ts, 0)));
  times_of("  set", "f");
  struct timespec fts[2] = {{1111111111, 0}, {1222222222, 750000000}};
  printf("futimens: %s\n", err(futimens(fd, fts)));
  times_of("  set", "f");
  struct timeval tv[2] = {{1400000000, 500000}, {1400000001, 0}};
  printf("utimes: %s\n", err(utimes("f", tv)));
  times_of("  set", "f");
  struct { int32_t sec, nsec; } t32[2] = {{1500000000, 0}, {1500000002, 500000000}};
  printf("utimensat (32-bit time syscall): %s\n", err((int)syscall(SYS_utimensat, AT_FDCWD, "d", t32, 0)));
  times_of("  set", "d");
  time_t before = time(NULL);
  printf("utimensat now: %s\n", err(utimensat(AT_FDCWD, "f", NULL, 0)));
  struct stat st;
  stat("f", &st);
  printf("  mtime is now: %d\n", st.st_mtim.tv_sec >= before - 1 && st.st_mtim.tv_sec <= time(NULL) + 1);
  struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
  printf("utimensat nsec 1e9: %s\n", err(utimensat(AT_FDCWD, "f", bad, 0)));
  printf("utimensat missing: %s\n", err(utimensat(AT_FDCWD, "missing", ts, 0)));
  printf("utimensat bad flags: %s\n", err(utimensat(AT_FDCWD, "f", ts, 0x4000)));

  printf("fchown -1 -1: %s\n", err(fchown(fd, (uid_t)-1, (gid_t)-1)));
  printf("chown to the owner it has: %s\n", err(chown("f", st.st_uid, st.st_gid)));
  printf("lchown -1 -1: %s\n", err(lchown("f", (uid_t)-1, (gid_t)-1)));
  printf("fchownat missing: %s\n", err(fchownat(AT_FDCWD, "missing", (uid_t)-1, (gid_t)-1, 0)));

  struct statvfs v;
  fs_of("statvfs .", statvfs(".", &v), &v);
  fs_of("fstatvfs file", fstatvfs(fd, &v), &v);
  fs_of("statvfs missing", statvfs("missing", &v), &v);
  int p[2];
  if (pipe(p) != 0) return 1;
  struct statfs sf;
  int r = fstatfs(p[0], &sf);
  printf("fstatfs pipe: %s, type %#lx, bsize %ld\n", err(r), (unsigned long)sf.f_type, (long)sf.f_bsize);
  close(fd);
  unlink("f");
  rmdir("d");
  return 0;
}
