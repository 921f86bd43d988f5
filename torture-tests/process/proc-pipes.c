/* proc-pipes: pipes inside one process, compared with qemu-arm.
 * pipe/pipe2 flags, a writer thread streaming 1 MB through a pipe to the
 * main thread (checksum), PIPE_BUF-sized writes from two threads arriving
 * whole, O_NONBLOCK (EAGAIN on empty and on full), EOF after the last writer
 * closes (including a dup'ed one), poll and select readiness, dup2/dup3,
 * fcntl F_DUPFD/F_DUPFD_CLOEXEC/F_GETFL/F_SETFL/F_GETFD, FIONREAD, fstat
 * S_ISFIFO, lseek (ESPIPE) and fsync (EINVAL) on pipe ends, and EPIPE with
 * SIGPIPE ignored. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s (errno %d)\n", __LINE__, #c, errno); fails++; } } while (0)

static int stream_fd;
static void *streamer(void *arg)
{
    (void)arg;
    unsigned char buf[1000];
    uint32_t x = 1;
    for (int i = 0; i < 1000; i++) {
        for (int k = 0; k < 1000; k++) { x = x * 1103515245u + 12345u; buf[k] = (unsigned char)(x >> 16); }
        for (int off = 0; off < 1000;) { ssize_t n = write(stream_fd, buf + off, 1000 - off); if (n <= 0) return NULL; off += n; }
    }
    close(stream_fd);
    return NULL;
}

static int atomic_fd;
static void *atomic_writer(void *arg)
{
    char block[4096];
    memset(block, *(char *)arg, sizeof block);
    for (int i = 0; i < 20; i++) if (write(atomic_fd, block, sizeof block) != (ssize_t)sizeof block) return NULL;
    return NULL;
}

int main(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(fcntl(p[0], F_GETFL) == O_RDONLY);
    CHECK(fcntl(p[1], F_GETFL) == O_WRONLY);
    CHECK(fcntl(p[0], F_GETFD) == 0);
    struct stat st;
    CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));

    /* streaming through a pipe: the reader sees every byte in order */
    stream_fd = p[1];
    pthread_t t;
    pthread_create(&t, NULL, streamer, NULL);
    uint32_t sum = 0, total = 0;
    unsigned char buf[3000];
    for (;;) {
        ssize_t n = read(p[0], buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; i++) sum = (sum * 31) ^ buf[i];
        total += n;
    }
    pthread_join(t, NULL);
    close(p[0]);
    printf("streamed %u bytes, checksum %08x\n", total, sum);

    /* PIPE_BUF writes from two threads never interleave */
    CHECK(pipe(p) == 0);
    atomic_fd = p[1];
    pthread_t a, b;
    char ca = 'a', cb = 'b';
    pthread_create(&a, NULL, atomic_writer, &ca);
    pthread_create(&b, NULL, atomic_writer, &cb);
    int blocks = 0, torn = 0;
    for (int i = 0; i < 40; i++) {
        char block[4096];
        size_t got = 0;
        while (got < sizeof block) { ssize_t n = read(p[0], block + got, sizeof block - got); if (n <= 0) break; got += n; }
        for (size_t k = 1; k < got; k++) if (block[k] != block[0]) { torn++; break; }
        blocks++;
    }
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("atomic writes: %d blocks, %d torn\n", blocks, torn);
    close(p[0]);
    close(p[1]);

    /* O_NONBLOCK, pipe2 flags, fcntl */
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    CHECK(fcntl(p[1], F_GETFD) == FD_CLOEXEC);
    /* a pipe has no position (tail and cat try lseek on their input) and nothing to sync */
    errno = 0;
    CHECK(lseek(p[0], 0, SEEK_END) == -1 && errno == ESPIPE);
    errno = 0;
    CHECK(lseek(p[1], 0, SEEK_CUR) == -1 && errno == ESPIPE);
    errno = 0;
    CHECK(fsync(p[1]) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(fdatasync(p[0]) == -1 && errno == EINVAL);
    char c;
    errno = 0;
    CHECK(read(p[0], &c, 1) == -1 && errno == EAGAIN);
    static char big[70000];
    ssize_t filled = write(p[1], big, sizeof big);
    printf("non-blocking fill: %zd bytes\n", filled);
    errno = 0;
    CHECK(write(p[1], big, 1) == -1 && errno == EAGAIN);
    int avail = -1;
    CHECK(ioctl(p[0], FIONREAD, &avail) == 0);
    printf("FIONREAD %d\n", avail);
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    CHECK(poll(pf, 2, 0) == 1);
    printf("poll full: in %d out %d\n", pf[0].revents, pf[1].revents);
    CHECK(fcntl(p[0], F_SETFL, 0) == 0);
    CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) == 0);
    close(p[0]);
    close(p[1]);

    /* EOF only after the last writer, even a dup'ed one, closes */
    CHECK(pipe(p) == 0);
    int w2 = dup(p[1]);
    int w3 = fcntl(p[1], F_DUPFD, 40);
    int w4 = fcntl(p[1], F_DUPFD_CLOEXEC, 50);
    printf("dup %d F_DUPFD %d F_DUPFD_CLOEXEC %d cloexec %d\n", w2, w3, w4, fcntl(w4, F_GETFD));
    CHECK(dup2(p[1], 30) == 30);
    CHECK(dup3(p[1], 31, O_CLOEXEC) == 31 && fcntl(31, F_GETFD) == FD_CLOEXEC);
    errno = 0;
    CHECK(dup3(31, 31, 0) == -1 && errno == EINVAL);
    CHECK(write(w3, "hello", 5) == 5);
    close(p[1]); close(w2); close(w3); close(w4); close(30);
    struct pollfd rp = { p[0], POLLIN, 0 };
    CHECK(poll(&rp, 1, 0) == 1);
    printf("poll with data: %d\n", rp.revents);
    CHECK(read(p[0], buf, sizeof buf) == 5);
    close(31);
    CHECK(poll(&rp, 1, 1000) == 1);
    printf("poll after last writer: %d\n", rp.revents);
    CHECK(read(p[0], buf, sizeof buf) == 0);

    /* select: a ready read end, a timeout */
    int q[2];
    CHECK(pipe(q) == 0);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(q[0], &rs);
    struct timeval tv = { 0, 20000 };
    CHECK(select(q[0] + 1, &rs, NULL, NULL, &tv) == 0);
    CHECK(write(q[1], "x", 1) == 1);
    FD_ZERO(&rs);
    FD_SET(q[0], &rs);
    tv.tv_sec = 1;
    CHECK(select(q[0] + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(q[0], &rs));
    close(p[0]);

    /* EPIPE with SIGPIPE ignored */
    signal(SIGPIPE, SIG_IGN);
    close(q[0]);
    errno = 0;
    CHECK(write(q[1], "x", 1) == -1 && errno == EPIPE);
    struct pollfd wp = { q[1], POLLOUT, 0 };
    CHECK(poll(&wp, 1, 0) == 1);
    printf("poll without reader: %d\n", wp.revents);
    printf("fails %d\n", fails);
    return fails != 0;
}
