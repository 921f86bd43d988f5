/*
 * dyn-layout: what a dynamically linked program sees of its loading, printed
 * so that mttcg and qemu-arm (both with -L /usr/arm-linux-gnueabi) can be
 * compared line by line: the auxiliary vector entries the loader sets
 * (AT_PHDR, AT_PHNUM, AT_ENTRY, AT_BASE, AT_PAGESZ), every loaded object and
 * its load address (dl_iterate_phdr), the program break, anonymous and file
 * mmaps, the protection the dynamic loader leaves on RELRO (a write there
 * faults), a thread's stack, dlopen of a library by name, and an atomic
 * counter updated by two threads.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static int show_object(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  (void)data;
  const char *name = info->dlpi_name[0] ? base_name(info->dlpi_name) : "(program)";
  int loads = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) loads += info->dlpi_phdr[i].p_type == PT_LOAD;
  printf("object %s at 0x%08lx, %d PT_LOAD\n", name, (unsigned long)info->dlpi_addr, loads);
  return 0;
}

static sigjmp_buf fault_jump;
static void on_segv(int sig) {
  (void)sig;
  siglongjmp(fault_jump, 1);
}

/* Whether a one-byte store at p faults (restoring the byte if it does not). */
static int store_faults(volatile char *p) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_segv;
  sigaction(SIGSEGV, &sa, &old);
  int faulted = 1;
  if (!sigsetjmp(fault_jump, 1)) {
    char c = *p;
    *p = c;
    faulted = 0;
  }
  sigaction(SIGSEGV, &old, NULL);
  return faulted;
}

static int counter;
/* Posted by a thread once it has its stack (pthread_getattr_np mallocs, which
 * makes the thread's malloc arena, an mmap): main starts the next thread only
 * then, so the mmaps come in one order under any scheduling. */
static sem_t got_stack;
static void *thread_main(void *arg) {
  pthread_attr_t attr;
  size_t size = 0;
  *(void **)arg = NULL;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, (void **)arg, &size);
    pthread_attr_destroy(&attr);
  }
  sem_post(&got_stack);
  for (int i = 0; i < 100000; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

static const char *const relro_table[] = { "a", "b" }; /* a pointer table: lands in .data.rel.ro */

int main(int argc, char **argv) {
  (void)argc;
  unsigned long entry = getauxval(AT_ENTRY), phdr = getauxval(AT_PHDR), base = getauxval(AT_BASE);
  printf("AT_ENTRY 0x%08lx AT_PHDR 0x%08lx AT_PHNUM %lu AT_BASE 0x%08lx AT_PAGESZ %lu\n",
         entry, phdr, getauxval(AT_PHNUM), base, getauxval(AT_PAGESZ));
  printf("main at 0x%08lx, entry - main 0x%lx\n", (unsigned long)&main, entry - (unsigned long)&main);
  dl_iterate_phdr(show_object, NULL);
  printf("break 0x%08lx\n", (unsigned long)sbrk(0));
  void *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("anonymous mmap 0x%08lx\n", (unsigned long)anon);

  /* The program's own file, mapped at an offset: the ELF header is at offset 0. */
  int fd = open(argv[0], O_RDONLY);
  unsigned char *file = fd >= 0 ? mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 4096) : MAP_FAILED;
  unsigned char *head = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
  if (file != MAP_FAILED && head != MAP_FAILED) {
    unsigned char buf[16];
    pread(fd, buf, sizeof buf, 4096);
    printf("file mmap at 0x%08lx and 0x%08lx: magic %s, offset 4096 %s\n", (unsigned long)file, (unsigned long)head,
           memcmp(head, "\177ELF", 4) == 0 ? "ok" : "wrong", memcmp(file, buf, sizeof buf) == 0 ? "matches pread" : "differs");
  } else {
    printf("file mmap failed\n");
  }

  printf("RELRO store faults: %d; writable data store faults: %d\n",
         store_faults((volatile char *)&relro_table[0]), store_faults((volatile char *)&counter));

  void *lib = dlopen("libm.so.6", RTLD_NOW);
  double (*cosine)(double) = lib ? (double (*)(double))dlsym(lib, "cos") : NULL;
  printf("dlopen libm: %s, cos(0) = %g\n", lib ? "ok" : dlerror(), cosine ? cosine(0.0) : -1.0);
  if (lib) dl_iterate_phdr(show_object, NULL);

  pthread_t t[2];
  void *stacks[2];
  sem_init(&got_stack, 0, 0);
  for (int i = 0; i < 2; i++) {
    pthread_create(&t[i], NULL, thread_main, &stacks[i]);
    sem_wait(&got_stack);
  }
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  printf("thread stacks at 0x%08lx and 0x%08lx, counter %d\n", (unsigned long)stacks[0], (unsigned long)stacks[1], counter);
  return 0;
}
