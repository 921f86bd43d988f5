/* err-touch: maps MIB MiB and writes one byte in each of its pages, then
 * prints "touched MIB MiB" (exit 0).  Under mttcg with a smaller --memory the
 * run must end with exit 137 and a message naming --memory: --memory limits
 * the frames the guest touches, not the address space it maps.
 * argv: [MiB, default 64] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 64;
    volatile char *p = mmap(0, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { printf("mmap %zu MiB failed\n", mib); return 1; }
    for (size_t off = 0; off < mib << 20; off += 4096) p[off] = 1;
    printf("touched %zu MiB\n", mib);
    return 0;
}
