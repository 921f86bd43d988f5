/* err-spin: never ends (a counter in a loop, no syscall): for the tests that
 * bound a run from outside (trace-diff --steps/--timeout, torture and bench
 * children killed with their parent). */
int main(void)
{
    volatile unsigned n = 0;
    for (;;) n++;
}
