/* nbody: the Computer Language Benchmarks Game n-body simulation (five
 * bodies, doubles, one sqrt and one division per pair and step), the
 * VFP-heavy workload of bench/vfp-nbody.ts.
 *
 * Usage: nbody WARMUP_STEPS TIMED_STEPS [MODE]
 *   MODE 0 (default): FPSCR as the program starts (round to nearest)
 *   MODE 1: round toward zero, MODE 2: flush-to-zero, MODE 3: round to
 *   nearest with the cumulative flags cleared before every step (a program
 *   that reads fetestexcept after each step), so the exact paths' cost shows.
 *
 * Output (the bench.h line format, plus the process CPU time of the timed steps):
 *   BENCH workload=nbody threads=1 ops=TIMED ns=NS cpu_ns=CPU checksum=ENERGYBITS check=pass warmup=WARMUP
 * The checksum is the final energy's bit pattern: mttcg and qemu-arm must agree.
 */
#include "../../torture-tests/vfp/vfp-rt.h"

#define NBODY 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[NBODY] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS_PER_YEAR,
     7.69901118419740425e-03 * DAYS_PER_YEAR, -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS_PER_YEAR,
     4.99852801234917238e-03 * DAYS_PER_YEAR, 2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS_PER_YEAR,
     2.37847173959480950e-03 * DAYS_PER_YEAR, -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS_PER_YEAR,
     1.62824170038242295e-03 * DAYS_PER_YEAR, -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static void advance(double dt)
{
    for (int i = 0; i < NBODY; i++) {
        struct body *a = &bodies[i];
        for (int j = i + 1; j < NBODY; j++) {
            struct body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            a->vx -= dx * b->mass * mag;
            a->vy -= dy * b->mass * mag;
            a->vz -= dz * b->mass * mag;
            b->vx += dx * a->mass * mag;
            b->vy += dy * a->mass * mag;
            b->vz += dz * a->mass * mag;
        }
    }
    for (int i = 0; i < NBODY; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < NBODY; i++) {
        struct body *a = &bodies[i];
        e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < NBODY; j++) {
            struct body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void offset_momentum(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODY; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static uint64_t clock_ns(long clock)
{
    uint32_t ts[2];
    rt_syscall(RT_SYS_CLOCK_GETTIME, clock, (long)ts, 0, 0, 0, 0);
    return (uint64_t)ts[0] * 1000000000u + ts[1];
}

#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2

static uint32_t get_fpscr(void)
{
    uint32_t v;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
    return v;
}

static void set_fpscr(uint32_t v)
{
    __asm__ volatile("vmsr fpscr, %0" : : "r"(v));
}

static void steps(uint32_t n, uint32_t mode)
{
    for (uint32_t i = 0; i < n; i++) {
        if (mode == 3) set_fpscr(get_fpscr() & ~0x9fu);
        advance(0.01);
    }
}

int main(int argc, char **argv)
{
    uint32_t warmup = argc > 1 ? rt_atou(argv[1]) : 1000;
    uint32_t timed = argc > 2 ? rt_atou(argv[2]) : 100000;
    uint32_t mode = argc > 3 ? rt_atou(argv[3]) : 0;
    if (mode == 1) set_fpscr((get_fpscr() & ~0x00c00000u) | (3u << 22));
    if (mode == 2) set_fpscr(get_fpscr() | (1u << 24));
    offset_momentum();
    steps(warmup, mode);
    uint64_t t0 = clock_ns(CLOCK_MONOTONIC), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    steps(timed, mode);
    uint64_t t1 = clock_ns(CLOCK_MONOTONIC), c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    double e = energy();
    union {
        double d;
        uint64_t u;
    } bits = {e};
    /* The published energy after 1000 steps from the start is -0.169087605; any run stays near -0.169. */
    int sane = e < -0.1690 && e > -0.1692;
    rt_puts("BENCH workload=nbody threads=1 ops=");
    rt_dec(timed);
    rt_puts(" ns=");
    rt_dec64(t1 - t0);
    rt_puts(" cpu_ns=");
    rt_dec64(c1 - c0);
    rt_puts(" checksum=");
    rt_hex64(bits.u);
    rt_puts(sane ? " check=pass" : " check=fail");
    rt_puts(" warmup=");
    rt_dec(warmup);
    rt_putc('\n');
    return sane ? 0 : 1;
}
