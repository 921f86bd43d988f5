/* conf-segv: a store to an unmapped low address must kill the process with
 * SIGSEGV.  Prints one line (flushed) first; the line after the store must
 * never appear.  Expected: stdout "before store", then death by signal 11
 * (a shell reports exit status 139).  No handler is installed. */
#include <stdio.h>
#include <stdint.h>

/* volatile so gcc neither folds the address nor warns about it */
static volatile uintptr_t target = 0x10;

int main(void)
{
    volatile uint32_t *p = (volatile uint32_t *)target;
    printf("before store\n");
    fflush(stdout);
    *p = 0x12345678u;
    printf("after store: NOT REACHED\n");
    fflush(stdout);
    return 0;
}
