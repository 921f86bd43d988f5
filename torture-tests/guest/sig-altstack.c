/*
 * sigaltstack: handlers with SA_ONSTACK run on the alternate stack, see
 * SS_ONSTACK there and cannot change it (EPERM); handlers without it stay
 * on the normal stack; uc_stack reports the stack; a stack overflow is
 * caught on the alternate stack; SS_AUTODISARM; the kernel's argument checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* linux/signal.h; older glibc headers lack it */
#endif

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, ss_onstack, eperm, uc_flags_onstack_ok, uc_sp_ok, depth_reached;
static sigjmp_buf back;

static int on_altstack(void *p) {
  return (char *)p >= altstack && (char *)p < altstack + sizeof altstack;
}

static void handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  char local;
  on_alt = on_altstack(&local);
  stack_t now;
  sigaltstack(0, &now);
  ss_onstack = (now.ss_flags & SS_ONSTACK) != 0;
  stack_t other = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  eperm = sigaltstack(&other, 0) == -1 && errno == EPERM;
  uc_flags_onstack_ok = uc->uc_stack.ss_sp == altstack && uc->uc_stack.ss_size == sizeof altstack;
  uc_sp_ok = !on_altstack((void *)uc->uc_mcontext.arm_sp);
}

static void overflow_handler(int sig, siginfo_t *si, void *uc) {
  char local;
  on_alt = on_altstack(&local);
  siglongjmp(back, 1);
}

static volatile int depth_limit = 1 << 30;
static int recurse(int n) {
  volatile char pad[1024];
  pad[0] = (char)n;
  depth_reached = n;
  return n < depth_limit ? recurse(n + 1) + pad[0] : 0;
}

static void install(void (*h)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = h;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(SIGUSR1, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
}

int main(void) {
  stack_t old;
  sigaltstack(0, &old);
  printf("initially: SS_DISABLE %d, size %zu\n", (old.ss_flags & SS_DISABLE) != 0, old.ss_size);

  stack_t tiny = { .ss_sp = altstack, .ss_size = 100, .ss_flags = 0 };
  printf("too small: %s\n", sigaltstack(&tiny, 0) == -1 && errno == ENOMEM ? "ENOMEM" : "accepted");
  stack_t badflags = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0x40 };
  printf("bad flags: %s\n", sigaltstack(&badflags, 0) == -1 && errno == EINVAL ? "EINVAL" : "accepted");

  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  printf("install: %d\n", sigaltstack(&ss, 0));
  sigaltstack(0, &old);
  printf("query: sp ok %d, size ok %d, flags %d\n", old.ss_sp == altstack, old.ss_size == sizeof altstack, old.ss_flags);

  install(handler, SA_ONSTACK);
  raise(SIGUSR1);
  printf("SA_ONSTACK: on the alternate stack %d, SS_ONSTACK reported %d, change refused with EPERM %d, uc_stack ok %d, interrupted sp off it %d\n",
         on_alt, ss_onstack, eperm, uc_flags_onstack_ok, uc_sp_ok);

  install(handler, 0);
  raise(SIGUSR1);
  printf("no SA_ONSTACK: on the alternate stack %d, SS_ONSTACK reported %d\n", on_alt, ss_onstack);

  /* Infinite recursion overflows the 8 MB stack; the SIGSEGV handler runs on the alternate stack. */
  install(overflow_handler, SA_ONSTACK);
  if (sigsetjmp(back, 1) == 0) {
    recurse(0);
  }
  printf("stack overflow caught on the alternate stack %d, recursed beyond 1000 frames %d\n", on_alt, depth_reached > 1000);

  /*
   * SS_AUTODISARM (Linux 4.7): the alternate stack is disarmed while the
   * handler runs (so changing it there is allowed), and rt_sigreturn puts
   * it back. qemu-arm 7.2 does not know the flag and refuses it (EINVAL).
   */
  stack_t ad = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = SS_AUTODISARM };
  printf("autodisarm install: %d\n", sigaltstack(&ad, 0));
  install(handler, SA_ONSTACK);
  raise(SIGUSR1);
  sigaltstack(0, &old);
  printf("SS_AUTODISARM: handler on the alternate stack %d, EPERM inside %d, restored after: sp ok %d flags %#x\n", on_alt, eperm,
         old.ss_sp == altstack, (unsigned)old.ss_flags);

  stack_t off = { .ss_flags = SS_DISABLE };
  sigaltstack(&off, 0);
  sigaltstack(0, &old);
  printf("disabled: flags %d size %zu\n", old.ss_flags, old.ss_size);
  return 0;
}
