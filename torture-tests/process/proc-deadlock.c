/* proc-deadlock: a deadlock across two processes. The parent and its child
 * both wait, with no timeout, on a futex word in MAP_SHARED memory that
 * nobody will change. mttcg must report the deadlock (exit 125) naming each
 * thread and its process. Not run under qemu-arm (it would wait forever). */
#include <linux/futex.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    int *word = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (word == MAP_FAILED) { perror("mmap"); return 1; }
    fork();
    for (;;) syscall(SYS_futex, word, FUTEX_WAIT, 0, 0, 0, 0);
}
