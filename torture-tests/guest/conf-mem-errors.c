/*
 * Memory syscalls' errors and madvise: mmap of a length that cannot fit
 * (ENOMEM, as Linux; EINVAL only for length 0 and bad alignment), MAP_FIXED
 * ranges that wrap or are misaligned, munmap/mprotect/madvise/mremap errors;
 * MADV_DONTNEED on anonymous private memory (zero-filled again) and on a
 * MAP_PRIVATE file mapping (the file's contents come back) and on shared
 * anonymous memory (the bytes stay), the file made in the current
 * directory (a scratch directory: the test's --allow-dir under mttcg).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A literal per outcome, so that several calls can share one printf. */
static const char *err(long ok) {
  if (ok) return "ok";
  switch (errno) {
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    default: return "other error";
  }
}
#define MM(a, l, p, f, fd, o) err(mmap((void *)(a), (l), (p), (f), (fd), (o)) != MAP_FAILED)

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  const int P = PROT_READ | PROT_WRITE, A = MAP_PRIVATE | MAP_ANONYMOUS;
  printf("length 0: %s\n", MM(0, 0, P, A, -1, 0));
  printf("length 0xfffff001 (rounds up past 4 GiB): %s\n", MM(0, 0xfffff001u, P, A, -1, 0));
  printf("length 0xfffff000: %s\n", MM(0, 0xfffff000u, P, A, -1, 0));
  printf("length 3.5 GiB: %s\n", MM(0, 0xe0000000u, P, A, -1, 0));
  printf("MAP_FIXED misaligned: %s\n", MM(0x10001000 + 12, 4096, P, A | MAP_FIXED, -1, 0));
  printf("MAP_FIXED wrapping past 4 GiB: %s\n", MM(0xfffff000u, 0x2000, P, A | MAP_FIXED, -1, 0));
  int big = 0, n = 0;
  void *bigs[64];
  for (; n < 64; n++)
    if ((bigs[n] = mmap(0, 256u << 20, PROT_NONE, A | MAP_NORESERVE, -1, 0)) == MAP_FAILED) { big = errno; break; }
  while (n > 0) munmap(bigs[--n], 256u << 20);
  printf("256 MiB mappings until the space is full: %s\n", big == ENOMEM ? "ENOMEM" : big ? strerror(big) : "never full");

  char *h = mmap(0, 3 * 4096, P, A, -1, 0);
  munmap(h + 4096, 4096);
  printf("munmap misaligned: %s, length 0: %s, past 4 GiB: %s\n", err(munmap(h + 1, 4096) == 0), err(munmap(h, 0) == 0),
         err(munmap((void *)0xfffff000u, 0x2000) == 0));
  printf("mprotect over a hole: %s, misaligned: %s\n", err(mprotect(h, 3 * 4096, PROT_READ) == 0), err(mprotect(h + 1, 4096, PROT_READ) == 0));
  printf("madvise over a hole: %s, misaligned: %s\n", err(madvise(h, 3 * 4096, MADV_DONTNEED) == 0), err(madvise(h + 1, 4096, MADV_DONTNEED) == 0));
  char *two = mmap(0, 2 * 4096, P, A, -1, 0);
  printf("mremap growing into a mapping without MAYMOVE: %s\n", err(mremap(two, 4096, 8192, 0) != MAP_FAILED));
  printf("mremap of a hole: %s\n", err(mremap(h + 4096, 4096, 8192, MREMAP_MAYMOVE) != MAP_FAILED));

  /* MADV_DONTNEED on private anonymous memory: zero again. */
  char *p = mmap(0, 4096, P, A, -1, 0);
  strcpy(p, "anonymous data");
  printf("anonymous before: %s\n", p);
  printf("madvise DONTNEED: %s; after: first byte %d\n", err(madvise(p, 4096, MADV_DONTNEED) == 0), p[0]);

  /* On shared memory the bytes stay (they belong to the shared object, not to this mapping). */
  char *sh = mmap(0, 4096, P, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  strcpy(sh, "shared data");
  printf("shared anonymous: madvise DONTNEED %s; after: %s\n", err(madvise(sh, 4096, MADV_DONTNEED) == 0), sh);

  /* On a MAP_PRIVATE file mapping: the file's bytes come back, the file is unchanged. */
  int fd = open("mapped-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  char page[2 * 4096];
  for (int i = 0; i < (int)sizeof page; i++) page[i] = 'a' + i % 26;
  write(fd, page, sizeof page);
  char *f = mmap(0, 2 * 4096, P, MAP_PRIVATE, fd, 0);
  char *g = mmap(0, 4096, P, MAP_PRIVATE, fd, 4096); /* the second page alone, from offset 4096 */
  close(fd);
  memcpy(f, "PRIVATE", 7);
  memcpy(f + 4096, "SECOND", 6);
  memcpy(g + 10, "OTHER", 5);
  printf("file mapping written: %.10s | %.10s | %.20s\n", f, f + 4096, g);
  printf("madvise DONTNEED on both pages: %s\n", err(madvise(f, 2 * 4096, MADV_DONTNEED) == 0));
  printf("file mapping after: %.10s | %.10s | other mapping keeps its copy: %.20s\n", f, f + 4096, g);
  printf("madvise DONTNEED on the offset mapping: %s; now %.20s\n", err(madvise(g, 4096, MADV_DONTNEED) == 0), g);
  char back[16] = { 0 };
  fd = open("mapped-file", O_RDONLY);
  pread(fd, back, 10, 0);
  printf("the file itself: %s\n", back);
  close(fd);
  unlink("mapped-file");
  return 0;
}
