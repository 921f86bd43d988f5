/* proc-yes: writes numbered lines to stdout until a write fails (then it
 * says why on stderr and exits 3), at most 5 million lines (then exit 0).
 * `proc-yes | head -1` must end at once with SIGPIPE: status 141. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char line[32];
    for (int i = 0; i < 5000000; i++) {
        int n = snprintf(line, sizeof line, "line %d\n", i);
        if (write(1, line, n) != n) {
            fprintf(stderr, "write failed: %s\n", strerror(errno));
            return 3;
        }
    }
    return 0;
}
