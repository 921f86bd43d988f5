/* conf-syscalls: Linux system calls through thin libc wrappers.
 * getpid/getppid/gettid (only "> 0" is printed), write(2) to fds 1 and 2,
 * errno from open of a missing path and from bad fds, uname (sysname only),
 * clock_gettime monotonicity, nanosleep, brk/sbrk growth and shrink,
 * anonymous mmap/mprotect/mremap/munmap, dup of stdout, getrandom
 * lengths.  Ends with exit(3) after an atexit handler, to test exit codes.
 * No file is created.  Expected: stdout as printed, stderr exactly one line
 * "conf-syscalls: stderr line", exit status 3. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

typedef uint32_t u32;
static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); fails++; } } while (0)

static void on_exit_handler(void)
{
    printf("atexit handler ran, fails %d, exiting with 3\n", fails);
}

static u32 h32(u32 s, unsigned char b) { s = (s ^ b) * 0x01000193u; return s ^ (s >> 13); }
static int64_t ns(const struct timespec *t) { return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec; }

int main(void)
{
    atexit(on_exit_handler);

    /* identities: values are environment dependent, only relations printed */
    pid_t pid = getpid();
    long tid = syscall(SYS_gettid);
    printf("getpid>0 %d getppid>0 %d gettid>0 %d gettid==getpid %d\n",
           pid > 0, getppid() > 0, tid > 0, tid == pid);

    /* raw writes; flush stdio first so ordering on fd 1 is fixed */
    fflush(stdout);
    static const char m1[] = "conf-syscalls: raw write to fd 1\n";
    static const char m2[] = "conf-syscalls: stderr line\n";
    ssize_t w1 = write(1, m1, sizeof m1 - 1);
    ssize_t w2 = write(2, m2, sizeof m2 - 1);
    printf("write fd1 %zd fd2 %zd\n", w1, w2);

    /* errno */
    errno = 0;
    int fd = open("/nonexistent/x", O_RDONLY);
    int e = errno;
    printf("open /nonexistent/x -> %d errno %d %s\n", fd, e, e == ENOENT ? "ENOENT" : "other");
    CHECK(fd == -1 && e == ENOENT);
    char c;
    errno = 0;
    ssize_t r = read(-1, &c, 1);
    e = errno;
    printf("read(-1) -> %zd errno %d %s\n", r, e, e == EBADF ? "EBADF" : "other");
    errno = 0;
    int cl = close(12345);
    e = errno;
    printf("close(12345) -> %d errno %d %s\n", cl, e, e == EBADF ? "EBADF" : "other");

    /* uname */
    struct utsname u;
    int ur = uname(&u);
    printf("uname -> %d sysname %s\n", ur, u.sysname);

    /* clocks and sleep */
    struct timespec t1, t2, t3, req = {0, 1000000};
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    int sl = nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t3);
    printf("monotonic t2>=t1 %d, nanosleep(1ms) -> %d, slept >= 1ms %d, nsec in range %d\n",
           ns(&t2) >= ns(&t1), sl, ns(&t3) - ns(&t2) >= 1000000,
           t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000 && t3.tv_nsec < 1000000000);
    struct timespec rt;
    int rr = clock_gettime(CLOCK_REALTIME, &rt);
    printf("realtime -> %d after 2020 %d\n", rr, rt.tv_sec > 1577836800);
    printf("sched_yield -> %d\n", sched_yield());

    /* brk */
    char *b0 = sbrk(0);
    char *b1 = sbrk(65536);
    char *b2 = sbrk(0);
    int zero = 1;
    for (int i = 0; i < 65536; i++) zero &= b1[i] == 0;
    for (int i = 0; i < 65536; i++) b1[i] = (char)(i * 13);
    u32 s = 0;
    for (int i = 0; i < 65536; i++) s = h32(s, (unsigned char)b1[i]);
    char *b3 = sbrk(-65536);
    char *b4 = sbrk(0);
    printf("sbrk: grow returns old break %d, new break +65536 %d, zero %d, sum %08x, shrink ok %d\n",
           b1 == b0, b2 == b0 + 65536, zero, s, b3 == b2 && b4 == b0);
    CHECK(b1 == b0 && b2 == b0 + 65536 && b4 == b0);

    /* anonymous mappings */
    const size_t pg = 4096;
    unsigned char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    zero = 1;
    for (size_t i = 0; i < 4 * pg; i++) zero &= m[i] == 0;
    for (size_t i = 0; i < 4 * pg; i++) m[i] = (unsigned char)(i ^ (i >> 8));
    s = 0;
    for (size_t i = 0; i < 4 * pg; i++) s = h32(s, m[i]);
    int p1 = mprotect(m + pg, pg, PROT_READ);
    u32 s2 = 0;
    for (size_t i = 0; i < 4 * pg; i++) s2 = h32(s2, m[i]);
    int p2 = mprotect(m + pg, pg, PROT_READ | PROT_WRITE);
    m[pg + 5] = 0xaa;
    int u1 = munmap(m + 2 * pg, pg); /* punch a hole */
    unsigned char *h = mmap(m + 2 * pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    int hole_zero = h == m + 2 * pg && h[0] == 0 && h[pg - 1] == 0;
    printf("mmap 4 pages: zero %d sum %08x, mprotect RO %d readable sum same %d, mprotect RW %d write ok %d\n",
           zero, s, p1, s2 == s, p2, m[pg + 5] == 0xaa);
    printf("munmap middle page %d, MAP_FIXED refill zero %d, neighbours kept %d %d\n",
           u1, hole_zero, m[3 * pg + 1] == (unsigned char)((3 * pg + 1) ^ ((3 * pg + 1) >> 8)), m[7] == 7);
    unsigned char *g = mremap(m, 4 * pg, 16 * pg, MREMAP_MAYMOVE);
    int kept = g != MAP_FAILED && g[pg + 5] == 0xaa && g[3 * pg + 1] == (unsigned char)((3 * pg + 1) ^ ((3 * pg + 1) >> 8));
    int tail_zero = 1;
    if (g != MAP_FAILED) {
        for (size_t i = 4 * pg; i < 16 * pg; i++) tail_zero &= g[i] == 0;
        g[16 * pg - 1] = 1;
    }
    printf("mremap 4->16 pages: ok %d contents kept %d new tail zero %d, munmap %d\n",
           g != MAP_FAILED, kept, tail_zero, munmap(g, 16 * pg));
    CHECK(zero && p1 == 0 && p2 == 0 && u1 == 0 && hole_zero && kept && tail_zero);

    /* dup of stdout (mttcg has no pipes: pipe/pipe2 return ENOSYS there) */
    fflush(stdout);
    int d = dup(1);
    ssize_t dw = write(d, "written through a dup of fd 1\n", 30);
    int dc = close(d);
    int bad = close(d);
    printf("dup -> %d write %zd close %d, close again %d errno EBADF %d\n", d >= 3, dw, dc, bad, errno == EBADF);

    /* getrandom: lengths only */
    unsigned char rb[300];
    ssize_t g1 = getrandom(rb, 16, 0);
    ssize_t g2 = getrandom(rb, 256, GRND_NONBLOCK);
    ssize_t g3 = getrandom(rb, 0, 0);
    printf("getrandom 16 -> %zd, 256 -> %zd, 0 -> %zd\n", g1, g2, g3);

    fflush(stdout);
    exit(3);
}
