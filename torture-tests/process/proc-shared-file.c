/* proc-shared-file: a writable MAP_SHARED mapping of a file, which mttcg
 * does not offer (its stores would reach neither the file nor another
 * process's mapping of it), must be refused clearly, never diverge silently.
 * Usage: proc-shared-file FILE (a scratch file it may create and write).
 * 1. mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of the file: ENODEV under mttcg.
 * 2. mmap(PROT_READ, MAP_SHARED) works and reads the file; mprotect to
 *    PROT_READ|PROT_WRITE then fails with EACCES under mttcg.
 * 3. MAP_PRIVATE with PROT_WRITE works (a private copy).
 * Prints one line per step; exit 0. Self-checked: on Linux (and qemu-arm)
 * steps 1 and 2 succeed, so the expected output is mttcg's own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) { fputs("usage: proc-shared-file FILE\n", stderr); return 2; }
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror(argv[1]); return 1; }
    char page[4096];
    memset(page, 'f', sizeof page);
    if (write(fd, page, sizeof page) != (ssize_t)sizeof page) { perror("write"); return 1; }

    void *rw = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("MAP_SHARED read-write: %s\n", rw == MAP_FAILED ? strerror(errno) : "mapped");

    char *ro = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
    if (ro == MAP_FAILED) { printf("MAP_SHARED read-only: %s\n", strerror(errno)); return 1; }
    printf("MAP_SHARED read-only: mapped, reads '%c'\n", ro[100]);
    int r = mprotect(ro, 4096, PROT_READ | PROT_WRITE);
    printf("mprotect to read-write: %s\n", r == 0 ? "done" : strerror(errno));
    printf("mprotect to read-exec: %s\n", mprotect(ro, 4096, PROT_READ | PROT_EXEC) == 0 ? "done" : strerror(errno));

    char *priv = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (priv == MAP_FAILED) { printf("MAP_PRIVATE read-write: %s\n", strerror(errno)); return 1; }
    priv[0] = 'p';
    printf("MAP_PRIVATE read-write: mapped, reads '%c', wrote '%c'\n", priv[100], priv[0]);
    close(fd);
    return 0;
}
