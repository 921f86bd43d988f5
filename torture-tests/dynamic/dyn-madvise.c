/*
 * dyn-madvise: madvise(MADV_DONTNEED) on the pages the ELF loader mapped
 * (the program's own segments and its interpreter's) and on a library's
 * pages (mapped by the dynamic loader with mmap). On Linux these are private
 * file mappings, so the pages come back with the file's bytes: written data
 * reverts to its initial value, read-only data and code stay as they are,
 * and the program goes on running code from a page it discarded. An
 * anonymous page comes back zero. Printed so that mttcg and qemu-arm (both
 * with -L) can be compared line by line. With the argument "exec" the
 * program then runs itself again through execve (/proc/self/exe), so that
 * the image execve loads is checked too (qemu-arm cannot execve an ARM
 * program without binfmt_misc: mttcg only).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define N (4 * PAGE)

/* Initialized data (the program's writable PT_LOAD): 0x5a, with a few marks. */
unsigned char data_pages[N] = {[0 ... N - 1] = 0x5a, [PAGE + 17] = 0x11, [2 * PAGE + 99] = 0x22};
/* Read-only data (the program's text PT_LOAD). */
const unsigned char rodata_pages[N] = {[0 ... N - 1] = 0xa5, [PAGE + 3] = 0x33, [3 * PAGE - 1] = 0x44};

static uintptr_t page_inside(const void *p) {
  return ((uintptr_t)p + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
}

static unsigned sum_page(uintptr_t page) {
  const volatile unsigned char *b = (const volatile unsigned char *)page;
  unsigned s = 0;
  for (int i = 0; i < PAGE; i++) s = s * 31 + b[i];
  return s;
}

static int discard(uintptr_t page) {
  return madvise((void *)page, PAGE, MADV_DONTNEED);
}

/* Code on a page of its own, called again after that page is discarded. */
__attribute__((noinline, aligned(PAGE))) int code_probe(int x) {
  return x * 7 + 3;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);

  uintptr_t d = page_inside(data_pages);
  unsigned before = sum_page(d);
  memset((void *)d, 0, PAGE);
  unsigned written = sum_page(d);
  int r = discard(d);
  unsigned after = sum_page(d);
  printf("program data page: madvise %d; file bytes back %s; written page %s; byte 0x%02x\n", r,
         after == before ? "yes" : "no", written == after ? "kept" : "gone", ((unsigned char *)d)[0]);
  ((unsigned char *)d)[5] = 1;
  printf("program data page writable again: byte 0x%02x\n", ((unsigned char *)d)[5]);

  uintptr_t ro = page_inside(rodata_pages);
  before = sum_page(ro);
  r = discard(ro);
  after = sum_page(ro);
  printf("program read-only page: madvise %d; same bytes %s; byte 0x%02x\n", r, after == before ? "yes" : "no",
         ((const unsigned char *)ro)[3]);

  uintptr_t code = (uintptr_t)code_probe & ~(uintptr_t)(PAGE - 1);
  int first = code_probe(5);
  before = sum_page(code);
  r = discard(code);
  after = sum_page(code);
  printf("program code page: madvise %d; same bytes %s; runs again %s\n", r, after == before ? "yes" : "no",
         code_probe(5) == first ? "yes" : "no");

  uintptr_t interp = getauxval(AT_BASE);
  before = sum_page(interp);
  r = discard(interp);
  after = sum_page(interp);
  printf("interpreter first page: madvise %d; same bytes %s; ELF magic %s\n", r, after == before ? "yes" : "no",
         memcmp((void *)interp, "\177ELF", 4) == 0 ? "yes" : "no");

  uintptr_t lib = (uintptr_t)&puts & ~(uintptr_t)(PAGE - 1);
  before = sum_page(lib);
  r = discard(lib);
  after = sum_page(lib);
  printf("libc code page: madvise %d; same bytes %s\n", r, after == before ? "yes" : "no");
  puts("libc runs again");

  unsigned char *anon = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(anon, 0x77, PAGE);
  r = discard((uintptr_t)anon);
  printf("anonymous page: madvise %d; zero %s\n", r, sum_page((uintptr_t)anon) == 0 ? "yes" : "no");
  if (argc > 1 && strcmp(argv[1], "exec") == 0) {
    execl("/proc/self/exe", argv[0], (char *)NULL);
    perror("execl");
    return 1;
  }
  return 0;
}
