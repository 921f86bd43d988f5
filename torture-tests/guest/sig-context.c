/*
 * Signal handlers that read and edit their context (uc_mcontext, uc_sigmask):
 * synchronous faults with their si_code and si_addr, the registers and
 * flags a handler sees at the faulting instruction, and sigreturn restoring
 * exactly what the handler left. Also sa_mask, SA_NODEFER, SA_RESETHAND,
 * plain (non-SA_SIGINFO) frames and the kernel's return trampoline (no
 * SA_RESTORER). Ends with a misaligned rt_sigreturn: SIGSEGV, whose handler
 * exits with status 3.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

/* Faulting instructions at known addresses. */
__asm__(
  ".text\n.arm\n.align 2\n"
  ".globl load_word\n.type load_word, %function\n"
  "load_word:\n  mov r1, r0\n  mov r0, #7\n"
  ".globl load_word_insn\nload_word_insn:\n  ldr r0, [r1]\n  bx lr\n"
  ".globl store_word\n.type store_word, %function\n"
  "store_word:\n"
  ".globl store_word_insn\nstore_word_insn:\n  str r1, [r0]\n  mov r0, #0\n  bx lr\n"
  ".globl ldrex_word\n.type ldrex_word, %function\n"
  "ldrex_word:\n  mov r1, r0\n  mov r0, #9\n"
  ".globl ldrex_word_insn\nldrex_word_insn:\n  ldrex r0, [r1]\n  bx lr\n"
  ".globl ldrd_pair\n.type ldrd_pair, %function\n"
  "ldrd_pair:\n  push {r4, r5}\n  mov r4, #1\n  mov r5, #2\n"
  ".globl ldrd_pair_insn\nldrd_pair_insn:\n  ldrd r4, r5, [r0]\n  add r0, r4, r5\n  pop {r4, r5}\n  bx lr\n"
  ".globl strd_pair\n.type strd_pair, %function\n"
  "strd_pair:\n  push {r4, r5}\n  mov r4, #1\n  mov r5, #2\n"
  ".globl strd_pair_insn\nstrd_pair_insn:\n  strd r4, r5, [r0]\n  mov r0, #5\n  pop {r4, r5}\n  bx lr\n"
  ".globl call_misaligned\n.type call_misaligned, %function\n"
  "call_misaligned:\n  push {r4, lr}\n  mov r4, #0\n"
  ".globl call_misaligned_insn\ncall_misaligned_insn:\n  blx r0\n  add r0, r4, #1\n  pop {r4, pc}\n"
  ".globl undefined_insn\n.type undefined_insn, %function\n"
  "undefined_insn:\n  mov r0, #11\n"
  ".globl undefined_insn_at\nundefined_insn_at:\n  .word 0xe7f000f0\n  bx lr\n"
  ".globl breakpoint\n.type breakpoint, %function\n"
  "breakpoint:\n  mov r0, #12\n"
  ".globl breakpoint_at\nbreakpoint_at:\n  bkpt #7\n  bx lr\n"
  /* r4-r11 set, Z set by cmp, then a faulting load; after it, Z decides r0. */
  ".globl regs_fault\n.type regs_fault, %function\n"
  "regs_fault:\n  push {r4-r11, lr}\n"
  "  ldr r4, =0x44444444\n  ldr r5, =0x55555555\n  ldr r6, =0x66666666\n  ldr r7, =0x77777777\n"
  "  ldr r8, =0x88888888\n  ldr r9, =0x99999999\n  ldr r10, =0xaaaaaaaa\n  ldr r11, =0xbbbbbbbb\n"
  "  cmp r4, r4\n"
  ".globl regs_fault_insn\nregs_fault_insn:\n  ldr r1, [r0]\n"
  "  moveq r0, #1\n  movne r0, #2\n  add r0, r0, r5\n  pop {r4-r11, pc}\n"
  ".ltorg\n");

/* VFP d8 (callee-saved, so the soft-float C code around never touches it). */
__asm__(
  ".text\n.arm\n.fpu vfpv3-d16\n.align 2\n"
  ".globl set_d8\n.type set_d8, %function\nset_d8:\n  vmov d8, r0, r1\n  bx lr\n"
  ".globl get_d8_low\n.type get_d8_low, %function\nget_d8_low:\n  vmov r0, r1, d8\n  bx lr\n"
  ".globl get_d8_high\n.type get_d8_high, %function\nget_d8_high:\n  vmov r1, r0, d8\n  bx lr\n");
void set_d8(unsigned lo, unsigned hi);
unsigned get_d8_low(void), get_d8_high(void);

int load_word(const int *p);
int store_word(int *p, int v);
int ldrex_word(const void *p);
int ldrd_pair(const void *p);
int strd_pair(void *p);
int call_misaligned(unsigned long target);
int undefined_insn(void);
int breakpoint(void);
unsigned regs_fault(const int *p);
extern char load_word_insn[], store_word_insn[], ldrex_word_insn[], ldrd_pair_insn[], strd_pair_insn[];
extern char call_misaligned_insn[], undefined_insn_at[], breakpoint_at[], regs_fault_insn[];

static struct {
  int sig, code, count;
  unsigned long addr, pc, regs[16], cpsr, oldmask;
  int frame_rt;
} seen;

enum { SKIP, RETURN_TO_LR, EDIT_REGS };
static int action;

static void fault_handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  mcontext_t *mc = &uc->uc_mcontext;
  seen.sig = sig;
  seen.code = si->si_code;
  seen.addr = (unsigned long)si->si_addr;
  seen.pc = mc->arm_pc;
  seen.cpsr = mc->arm_cpsr;
  seen.count++;
  unsigned long *r = &mc->arm_r0;
  for (int i = 0; i < 16; i++) seen.regs[i] = r[i];
  switch (action) {
  case SKIP: mc->arm_r0 = 42; mc->arm_pc += 4; break;
  case RETURN_TO_LR: mc->arm_r4 = 100; mc->arm_pc = mc->arm_lr; break;
  case EDIT_REGS: mc->arm_r5 = 0x1000; mc->arm_cpsr &= ~(1UL << 30); mc->arm_pc += 4; break;
  }
}

static void install(int sig, void (*h)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = h;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(sig, &sa, 0);
}

static void report(const char *what, int result, const void *addr, const void *insn) {
  printf("%s: result %d, sig %d code %d, si_addr %s, pc %s, handler ran %d\n", what, result, seen.sig, seen.code,
         seen.addr == (unsigned long)addr ? "ok" : "WRONG", seen.pc == (unsigned long)insn ? "at the instruction" : "WRONG",
         seen.count);
  memset(&seen, 0, sizeof seen);
}

/* ---- masks and flags ---- */
static char order[64];
static int order_len;
static void note(char c) { order[order_len++] = c; order[order_len] = 0; }

static void usr2_handler(int sig) { note('2'); }
static void usr1_masking(int sig) {
  note('1');
  raise(SIGUSR2); /* blocked by sa_mask: runs after this handler returns */
  note('a');
}
static volatile int depth, max_depth, calls;
static void usr1_nested(int sig) {
  depth++;
  calls++;
  if (depth > max_depth) max_depth = depth;
  if (calls == 1) raise(SIGUSR1); /* once: nested with SA_NODEFER, deferred without */
  depth--;
}
static void usr1_edit_mask(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  sigaddset(&uc->uc_sigmask, SIGUSR2);
}
static volatile int resethand_runs;
static void usr1_once(int sig) { resethand_runs++; }

/* Raw rt_sigaction: no SA_RESTORER, so the handler returns through the kernel's trampoline. */
struct kernel_sigaction { void *handler; unsigned long flags; void *restorer; unsigned long mask[2]; };
static volatile int plain_runs, plain_sig;
static volatile unsigned long plain_lr;
static void plain_handler(int sig) { plain_runs++; plain_sig = sig; plain_lr = (unsigned long)__builtin_return_address(0); }
static volatile int rt_runs;
static volatile unsigned long rt_lr;
static void rt_handler(int sig, siginfo_t *si, void *uc) {
  rt_runs++;
  rt_lr = (unsigned long)__builtin_return_address(0);
  if (si->si_signo != sig || ((ucontext_t *)uc)->uc_mcontext.arm_sp == 0) rt_runs = -100;
}

/* The VFP record in uc_regspace: magic, size, d0-d31, fpscr, ... */
static volatile unsigned vfp_magic, vfp_size, d8_seen_lo, d8_seen_hi;
static void usr1_vfp(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  unsigned *rs = (unsigned *)uc->uc_regspace;
  vfp_magic = rs[0];
  vfp_size = rs[1];
  d8_seen_lo = rs[2 + 2 * 8];
  d8_seen_hi = rs[2 + 2 * 8 + 1];
  rs[2 + 2 * 8] = 0xaabbccdd;
  rs[2 + 2 * 8 + 1] = 0x01234567;
}

/* Thumb: a handler compiled as Thumb code, and a signal taken while Thumb code runs. */
static volatile int thumb_handler_runs, interrupted_thumb;
static volatile unsigned long thumb_signal_pc;
__attribute__((target("thumb"), noinline)) static void thumb_handler(int sig) {
  thumb_handler_runs++;
}
static void usr2_sees_thumb(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  interrupted_thumb = (uc->uc_mcontext.arm_cpsr >> 5) & 1;
  thumb_signal_pc = uc->uc_mcontext.arm_pc;
}
__attribute__((target("thumb"), noinline)) static long thumb_tgkill(long pid, long tid, long sig) {
  register long r0 __asm__("r0") = pid;
  register long r1 __asm__("r1") = tid;
  register long r2 __asm__("r2") = sig;
  register long r7 __asm__("r7") = SYS_tgkill;
  __asm__ volatile("svc 0\n" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

static void segv_exit(int sig, siginfo_t *si, void *uc) {
  printf("bad rt_sigreturn frame: SIGSEGV code %d, handler exits 3\n", si->si_code);
  fflush(stdout);
  _exit(3);
}

int main(void) {
  static char buf[64] __attribute__((aligned(8)));
  install(SIGSEGV, fault_handler, SA_NODEFER);
  install(SIGBUS, fault_handler, SA_NODEFER);
  install(SIGILL, fault_handler, SA_NODEFER);
  install(SIGTRAP, fault_handler, SA_NODEFER);

  action = SKIP;
  report("SIGSEGV unmapped load", load_word((int *)16), (void *)16, load_word_insn);
  int *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  report("SIGSEGV read-only store", store_word(ro, 5), ro, store_word_insn);
  report("SIGBUS misaligned LDREX", ldrex_word(buf + 2), buf + 2, ldrex_word_insn);
  report("SIGBUS misaligned LDRD", ldrd_pair(buf + 2), buf + 2, ldrd_pair_insn);
  report("SIGBUS misaligned STRD", strd_pair(buf + 1), buf + 1, strd_pair_insn);
  report("SIGTRAP BKPT", breakpoint(), breakpoint_at, breakpoint_at);
  report("SIGILL UDF", undefined_insn(), undefined_insn_at, undefined_insn_at);
  action = RETURN_TO_LR;
  unsigned long target = (unsigned long)&breakpoint + 2;
  report("SIGBUS BLX to a misaligned ARM address", call_misaligned(target), (void *)target, (void *)target);

  action = EDIT_REGS;
  unsigned r = regs_fault((int *)8);
  printf("registers at the fault:");
  for (int i = 4; i < 12; i++) printf(" r%d=%08lx", i, seen.regs[i]);
  printf("\nZ flag at the fault %lu, mode %02lx; after the handler cleared Z and set r5: result %#x\n",
         (seen.cpsr >> 30) & 1, seen.cpsr & 0x1f, r);
  printf("lr at the fault is the caller's: %s\n", seen.regs[14] > 0x10000 && seen.regs[15] == (unsigned long)regs_fault_insn ? "ok" : "WRONG");

  /* sa_mask defers SIGUSR2 until the SIGUSR1 handler returns. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = usr2_handler;
  sigaction(SIGUSR2, &sa, 0);
  sa.sa_handler = usr1_masking;
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  printf("sa_mask order: %s\n", order);

  /* Without SA_NODEFER the signal is blocked in its own handler; with it, it nests. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = usr1_nested;
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  printf("default: max depth %d, runs %d\n", max_depth, calls);
  max_depth = 0;
  calls = 0;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  printf("SA_NODEFER: max depth %d, runs %d\n", max_depth, calls);

  /* A handler that adds SIGUSR2 to uc_sigmask leaves it blocked after sigreturn. */
  install(SIGUSR1, usr1_edit_mask, 0);
  raise(SIGUSR1);
  sigset_t now;
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("uc_sigmask edit: SIGUSR2 blocked after return %d, SIGUSR1 blocked %d\n", sigismember(&now, SIGUSR2), sigismember(&now, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &now, 0);

  /* SA_RESETHAND: one run, then SIG_DFL. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = usr1_once;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  struct sigaction after;
  sigaction(SIGUSR1, 0, &after);
  printf("SA_RESETHAND: runs %d, action now %s\n", resethand_runs, after.sa_handler == SIG_DFL ? "SIG_DFL" : "still the handler");

  /* No SA_RESTORER: the kernel's trampoline brings both frame kinds back. */
  struct kernel_sigaction k = { (void *)plain_handler, 0, 0, { 0, 0 } };
  syscall(SYS_rt_sigaction, SIGUSR2, &k, 0, 8);
  raise(SIGUSR2);
  struct kernel_sigaction k2 = { (void *)rt_handler, SA_SIGINFO, 0, { 0, 0 } };
  syscall(SYS_rt_sigaction, SIGUSR2, &k2, 0, 8);
  raise(SIGUSR2);
  printf("no restorer: plain handler runs %d (sig %d), rt handler runs %d; return addresses differ %d\n", plain_runs, plain_sig,
         rt_runs, plain_lr != rt_lr);

  /* The coprocessor area carries VFP d8 into the handler and the handler's value back. */
  install(SIGUSR1, usr1_vfp, 0);
  set_d8(0x11223344, 0x55667788);
  raise(SIGUSR1);
  printf("VFP record: magic %#x size %u, d8 in the frame %08x:%08x, d8 after the handler edited it %08x:%08x\n", vfp_magic,
         vfp_size, d8_seen_hi, d8_seen_lo, get_d8_high(), get_d8_low());

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = thumb_handler;
  sigaction(SIGUSR1, &sa, 0);
  raise(SIGUSR1);
  install(SIGUSR2, usr2_sees_thumb, 0);
  long tr = thumb_tgkill(getpid(), syscall(SYS_gettid), SIGUSR2);
  printf("Thumb: handler runs %d; signal taken in Thumb code: T bit %d, pc even %d, back in Thumb code %ld\n", thumb_handler_runs,
         interrupted_thumb, (thumb_signal_pc & 1) == 0, tr);

  /* rt_sigreturn with a misaligned stack pointer is a bad frame: SIGSEGV. */
  install(SIGSEGV, segv_exit, 0);
  fflush(stdout);
  __asm__ volatile("sub sp, sp, #4\n mov r7, #173\n svc 0\n" ::: "r7", "memory");
  printf("not reached\n");
  return 0;
}
