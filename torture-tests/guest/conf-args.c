/* conf-args: process start-up state handed over by the loader.
 * Prints argc, argv (argv[0] reduced to its basename so the output does not
 * depend on the directory it was started from), the fixed variable
 * CONF_ARGS_VAR ("(unset)" if absent), and auxv entries that do not vary
 * between runs: AT_PAGESZ, the VFP/NEON bits of AT_HWCAP, every AT_HWCAP bit
 * by its Linux name and AT_HWCAP2, AT_PLATFORM,
 * AT_ENTRY == _start, AT_PHNUM / AT_PHENT, AT_RANDOM present.
 * The whole environment is never printed (it is host dependent).
 * Note: the hwcap and platform lines describe the emulated CPU, so they
 * legitimately differ between qemu-arm and an emulator without VFP/NEON.
 * Exit 0. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <elf.h>

#ifndef HWCAP_ARM_VFP
#define HWCAP_ARM_VFP 64
#endif
#ifndef HWCAP_ARM_NEON
#define HWCAP_ARM_NEON 4096
#endif

extern char **environ;
extern void _start(void);

int main(int argc, char **argv, char **envp)
{
    printf("argc %d\n", argc);
    const char *a0 = argv[0] ? argv[0] : "(null)";
    const char *slash = strrchr(a0, '/');
    printf("argv[0] basename [%s]\n", slash ? slash + 1 : a0);
    for (int i = 1; i < argc; i++) printf("argv[%d] [%s] len %zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    printf("argv word aligned: %d, envp follows argv: %d, environ == envp: %d\n",
           ((uintptr_t)argv & 3) == 0, envp == argv + argc + 1, environ == envp);

    const char *v = getenv("CONF_ARGS_VAR");
    printf("CONF_ARGS_VAR=%s\n", v ? v : "(unset)");

    unsigned long pagesz = getauxval(AT_PAGESZ);
    unsigned long hw = getauxval(AT_HWCAP);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PAGESZ %lu\n", pagesz);
    printf("AT_HWCAP vfp %d neon %d (masked %#lx)\n", (hw & HWCAP_ARM_VFP) != 0,
           (hw & HWCAP_ARM_NEON) != 0, hw & (HWCAP_ARM_VFP | HWCAP_ARM_NEON));
    /* Every bit by the name Linux gives it in /proc/cpuinfo (arch/arm/kernel/setup.c). */
    static const char *const hwcap_names[] = {
        "swp", "half", "thumb", "26bit", "fastmult", "fpa", "vfp", "edsp", "java", "iwmmxt", "crunch",
        "thumbee", "neon", "vfpv3", "vfpv3d16", "tls", "vfpv4", "idiva", "idivt", "vfpd32", "lpae", "evtstrm",
    };
    printf("AT_HWCAP names");
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!(hw & (1ul << bit))) continue;
        if (bit < sizeof hwcap_names / sizeof hwcap_names[0]) printf(" %s", hwcap_names[bit]);
        else printf(" bit%u", bit);
    }
    printf("; AT_HWCAP2 %#lx\n", getauxval(AT_HWCAP2));
    printf("AT_PLATFORM %s\n", plat ? plat : "(none)");
    printf("AT_ENTRY == _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)(uintptr_t)_start);
    printf("AT_PHNUM %lu AT_PHENT %lu AT_PHDR set %d\n", getauxval(AT_PHNUM), getauxval(AT_PHENT),
           getauxval(AT_PHDR) != 0);
    printf("AT_RANDOM present %d\n", getauxval(AT_RANDOM) != 0);
    printf("page size is 4096: %d\n", pagesz == 4096);
    return 0;
}
