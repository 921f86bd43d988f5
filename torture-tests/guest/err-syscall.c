/* err-syscall: an unknown syscall number must fail with ENOSYS (and mttcg
 * warns once per number, however often it is called). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 3; i++) {
        errno = 0;
        long r = syscall(9999);
        printf("syscall(9999) -> %ld errno ENOSYS %d\n", r, errno == ENOSYS);
    }
    return 0;
}
