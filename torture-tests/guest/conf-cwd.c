/*
 * The working directory: getcwd, chdir (relative, absolute, ".."), fchdir,
 * relative paths after a chdir, a thread seeing the process's chdir, a
 * forked child's chdir not moving its parent, and the errors (ENOTDIR,
 * ENOENT, EBADF, ERANGE). Run it in an empty scratch directory (under
 * mttcg: the only --allow-dir); it prints no absolute path. With the
 * argument "outside" it only tries chdir("/").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char start[4096];

static const char *rel(void) {
  static char buf[4096];
  if (!getcwd(buf, sizeof buf)) return "(getcwd failed)";
  size_t n = strlen(start);
  if (strncmp(buf, start, n) != 0) return "(outside the start directory)";
  return buf[n] ? buf + n : "(start)";
}

static const char *err(int r) {
  static char b[32];
  if (r == 0) return "0";
  snprintf(b, sizeof b, "%s", errno == ENOTDIR ? "ENOTDIR" : errno == ENOENT ? "ENOENT" : errno == EBADF ? "EBADF" : strerror(errno));
  return b;
}

static void *thread_chdir(void *arg) {
  return (void *)(long)chdir("a");
}

int main(int argc, char **argv) {
  if (!getcwd(start, sizeof start)) return 1;
  if (argc > 1 && strcmp(argv[1], "outside") == 0) {
    /* Under mttcg with only the start directory allowed, "/" looks missing (the sandbox). */
    printf("chdir /: %s, cwd %s\n", err(chdir("/")), rel());
    return 0;
  }
  printf("mkdir a, a/b: %d %d\n", mkdir("a", 0755), mkdir("a/b", 0755));
  int f = open("a/file", O_CREAT | O_WRONLY, 0644);
  close(f);
  printf("chdir a: %s, cwd %s\n", err(chdir("a")), rel());
  printf("chdir b: %s, cwd %s\n", err(chdir("b")), rel());
  printf("chdir ..: %s, cwd %s\n", err(chdir("..")), rel());
  printf("relative open of file: %s\n", access("file", F_OK) == 0 ? "found" : "missing");
  printf("chdir to a file: %s\n", err(chdir("file")));
  printf("chdir to a missing directory: %s\n", err(chdir("nowhere")));
  int here = open(".", O_RDONLY | O_DIRECTORY);
  printf("chdir to the start (absolute): %s, cwd %s\n", err(chdir(start)), rel());
  printf("fchdir back into a: %s, cwd %s\n", err(fchdir(here)), rel());
  int file = open("file", O_RDONLY);
  printf("fchdir to a file: %s\n", err(fchdir(file)));
  printf("fchdir to a bad fd: %s\n", err(fchdir(-1)));
  close(file);
  close(here);
  char tiny[2];
  printf("getcwd into 2 bytes: %s\n", getcwd(tiny, sizeof tiny) == NULL && errno == ERANGE ? "ERANGE" : "fits");
  long n = syscall(183, tiny, 0);
  printf("raw getcwd with size 0: %s\n", n == -1 && errno == ERANGE ? "ERANGE" : "fits");

  chdir(start);
  pthread_t t;
  void *r;
  pthread_create(&t, 0, thread_chdir, 0);
  pthread_join(t, &r);
  printf("a thread's chdir: %ld, the main thread's cwd %s\n", (long)r, rel());

  pid_t pid = fork();
  if (pid == 0) {
    int c = chdir("b");
    _exit(c == 0 && access("../file", F_OK) == 0 ? 7 : 9);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("the child's chdir: status %d, the parent's cwd %s\n", WEXITSTATUS(status), rel());

  chdir(start);
  unlink("a/file");
  printf("cleanup: %d %d\n", rmdir("a/b"), rmdir("a"));
  return 0;
}
