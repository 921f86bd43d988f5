/* vfp-signal: the VFP record in a signal frame (uc_regspace) and its restore
 * by sigreturn. main loads d0-d15 and FPSCR with known bit patterns and
 * sends itself SIGUSR1 from the same asm block (so nothing between the load
 * and the signal touches them); the handler prints the record's magic,
 * size, d0-d15 and FPSCR, then changes d9 and FPSCR's rounding mode in the
 * frame; after the handler returns main prints d0-d15 and FPSCR, which must
 * be the frame's values. Output compared with qemu-arm (vfp-signal.ref).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define VFP_MAGIC 0x56465001u

static uint32_t in[34], out[34];

static void handler(int sig, siginfo_t *info, void *ctx)
{
    ucontext_t *uc = ctx;
    uint32_t *rs = (uint32_t *)uc->uc_regspace;
    (void)info;
    printf("handler: signal %d magic %08x size %u\n", sig, rs[0], rs[1]);
    if (rs[0] != VFP_MAGIC) return;
    for (int d = 0; d < 16; d++) printf("  frame d%-2d %08x%08x\n", d, rs[2 + 2 * d + 1], rs[2 + 2 * d]);
    printf("  frame fpscr %08x\n", rs[2 + 64]);
    rs[2 + 2 * 9] = 0x0badf00d;                               /* d9, low word */
    rs[2 + 2 * 9 + 1] = 0x7ff00001;                           /* d9, high word: a signalling NaN */
    rs[2 + 64] = (rs[2 + 64] & ~0x00c00000u) | 0x00c00000u; /* round toward zero */
}

int main(void)
{
    for (int i = 0; i < 32; i++) in[i] = 0x7ff40000u + (uint32_t)i * 0x01010101u; /* signalling-NaN-like patterns */
    in[32] = 0x60000010u;                                                        /* FPSCR: Z C, IXC */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t pid = getpid();
    pid_t tid = (pid_t)syscall(SYS_gettid);
    register uint32_t *pin __asm__("r4") = in;
    register uint32_t *pout __asm__("r5") = out;
    register long rpid __asm__("r0") = pid;
    register long rtid __asm__("r1") = tid;
    register long rsig __asm__("r2") = SIGUSR1;
    register long nr __asm__("r7") = SYS_tgkill;
    __asm__ volatile(
        "vldmia %[in], {d0-d15}\n\t"
        "ldr r3, [%[in], #128]\n\t"
        "vmsr fpscr, r3\n\t"
        "svc 0\n\t"
        "vstmia %[out], {d0-d15}\n\t"
        "vmrs r3, fpscr\n\t"
        "str r3, [%[out], #128]\n\t"
        : "+r"(rpid)
        : [in] "r"(pin), [out] "r"(pout), "r"(rtid), "r"(rsig), "r"(nr)
        : "r3", "memory", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15");
    for (int d = 0; d < 16; d++) printf("after d%-2d %08x%08x\n", d, out[2 * d + 1], out[2 * d]);
    printf("after fpscr %08x\n", out[32]);
    return 0;
}
