/* syscall-monitor: LDREX, then a syscall, then STREX, in ONE asm statement.
 * Linux clears the exclusive monitor on every return to user space (the
 * restore_user_regs macro in arch/arm/kernel/entry-header.S executes CLREX or
 * a dummy STREX; ARM ARM A3.4.4 asks the OS to clear the local monitor on a
 * context switch), so the STREX after `svc 0` (getpid) must fail in every
 * round, even though nobody else touched the word.  An emulator that treats the syscall as
 * a plain call and keeps the reservation lets it succeed.
 *
 * Each round, after the syscall window, runs a control window without the
 * syscall (LDREX; STREX): it must be able to succeed, or a STREX that never
 * succeeds at all would pass this case for the wrong reason.  The control
 * STREX may fail spuriously on real hardware, so only "succeeded at least
 * once" is required.
 *
 * Single-threaded: the threads argument is accepted for a uniform interface
 * and reported as 1.
 * observed: strex_succeeded / strex_failed of the syscall windows,
 * control_succeeded / control_failed, bad (LDREX did not load the value just
 * stored, or getpid returned <= 0), pid_calls.
 * pass iff strex_succeeded == 0, control_succeeded > 0 and bad == 0.
 * argv: [threads (ignored, reported as 1)] [rounds, default 300] */
#include <unistd.h>
#include <sys/syscall.h>
#include "torture.h"

#define CASE_NAME "syscall-monitor"
#define NEWVAL 3u

static line_u32 x;

/* LDREX [p]; getpid via svc 0; STREX NEWVAL, [p].  Returns the STREX status;
 * *loaded = the LDREX value, *pid = getpid's result.  r7 carries the syscall
 * number (EABI); the kernel returns in r0 and preserves every other register. */
static inline u32 syscall_window(volatile u32 *p, u32 *loaded, int32_t *pid)
{
    register u32 nr __asm__("r7") = __NR_getpid;
    register u32 r0 __asm__("r0");
    u32 v, s;
    __asm__ volatile(
        "ldrex   %0, [%4]\n\t"
        "svc     #0\n\t"
        "strex   %1, %5, [%4]\n\t"
        : "=&r"(v), "=&r"(s), "=&r"(r0)
        : "r"(nr), "r"(p), "r"(NEWVAL)
        : "memory", "cc");
    *loaded = v;
    *pid = (int32_t)r0;
    return s;
}

/* The same window without the syscall. */
static inline u32 control_window(volatile u32 *p, u32 *loaded)
{
    u32 v, s;
    __asm__ volatile(
        "ldrex   %0, [%2]\n\t"
        "strex   %1, %3, [%2]\n\t"
        : "=&r"(v), "=&r"(s)
        : "r"(p), "r"(NEWVAL)
        : "memory");
    *loaded = v;
    return s;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 1, 300);
    g_threads = 1;

    u32 succ = 0, fail = 0, csucc = 0, cfail = 0, bad = 0, calls = 0;
    for (int r = 0; r < g_iters; r++) {
        u32 v;
        int32_t pid;
        st(&x.v, 1);
        dmb();
        u32 s = syscall_window(&x.v, &v, &pid);
        calls++;
        if (v != 1 || pid <= 0) bad++;
        if (s == 0) {
            succ++;
            if (ld(&x.v) != NEWVAL) bad++;
        } else {
            fail++;
            if (ld(&x.v) != 1) bad++;
        }

        st(&x.v, 1);
        dmb();
        s = control_window(&x.v, &v);
        if (v != 1) bad++;
        if (s == 0) csucc++; else cfail++;
    }

    char obs[192];
    snprintf(obs, sizeof obs,
             "strex_succeeded=%u,strex_failed=%u,control_succeeded=%u,control_failed=%u,bad=%u,pid_calls=%u",
             succ, fail, csucc, cfail, bad, calls);
    result(CASE_NAME, succ == 0 && csucc > 0 && bad == 0, obs);
    return 0;
}
