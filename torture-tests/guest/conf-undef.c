/* conf-undef: executing a permanently undefined instruction (UDF #0: A32
 * 0xe7f000f0, Thumb 0xde00) must kill the process with SIGILL.  0xe7f000f0 is
 * not one of the Linux breakpoint patterns (0xe7f001f0 and friends, and
 * Thumb's 0xde01, raise SIGTRAP).
 * Expected: stdout "before udf", then death by signal 4 (a shell reports
 * exit status 132).  No handler is installed. */
#include <stdio.h>

int main(void)
{
    printf("before udf\n");
    fflush(stdout);
    __asm__ volatile("udf #0" ::: "memory");
    printf("after udf: NOT REACHED\n");
    fflush(stdout);
    return 0;
}
