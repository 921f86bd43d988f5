/* conf-vfp-libc: floating point through Debian's armhf glibc and libm, built
 * as Debian builds armhf programs (Thumb-2, VFPv3-D16, hard-float ABI):
 * printf and strtod of doubles, libm functions, the four rounding modes
 * through fesetround, the exception flags through fetestexcept, setjmp and
 * longjmp keeping the callee-saved d8-d15, and float/int conversions. Its
 * output is compared with qemu-arm's (conf-vfp-libc.ref).
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile double vd[] = {0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 3.5, -2.5, 1e-310, 1e308, -1e-320, 123456789.987654321, 7.0};
#define NVD (sizeof vd / sizeof vd[0])

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static void flags(const char *what)
{
    printf("%s: flags%s%s%s%s%s\n", what, fetestexcept(FE_INVALID) ? " invalid" : "", fetestexcept(FE_DIVBYZERO) ? " divbyzero" : "",
           fetestexcept(FE_OVERFLOW) ? " overflow" : "", fetestexcept(FE_UNDERFLOW) ? " underflow" : "",
           fetestexcept(FE_INEXACT) ? " inexact" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

static void print_math(void)
{
    for (unsigned i = 0; i < NVD; i++) {
        double x = vd[i];
        printf("x=%a sin=%a cos=%a exp=%a log=%a sqrt=%a\n", x, sin(x), cos(x), exp(x), log(fabs(x)), sqrt(fabs(x)));
        printf("  pow=%a atan2=%a fmod=%a hypot=%a cbrt=%a expm1=%a log1p=%a\n", pow(fabs(x), 0.75), atan2(x, 3.0), fmod(x, 0.7),
               hypot(x, 4.0), cbrt(x), expm1(x), log1p(fabs(x)));
        printf("  floor=%a ceil=%a rint=%a lrint=%ld fma=%a %.17g %g %e\n", floor(x), ceil(x), rint(x), lrint(x), fma(x, x, -1.0), x, x, x);
        float f = (float)x;
        printf("  float=%a sinf=%a expf=%a sqrtf=%a bits=%016llx\n", f, sinf(f), expf(f), sqrtf(fabsf(f)), (unsigned long long)bits(x));
    }
    flags("math");
}

static void print_rounding(void)
{
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    static const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double a = 1.0, b = 3.0, c = -2.0;
        double q = a / b, r = c / b, s = sqrt(b);
        volatile float fa = 1.0f, fb = 3.0f;
        float fq = fa / fb;
        printf("%s: 1/3=%a -2/3=%a sqrt3=%a 1/3f=%a rint2.5=%a nearbyint-2.5=%a lrint3.5=%ld (float)0.1=%a\n", names[m], q, r, s, (double)fq,
               rint(vd[5]), nearbyint(vd[7]), lrint(vd[6]), (double)(float)vd[4]);
        printf("  %.20f %.3e printf-of-1/3\n", q, r);
        flags(names[m]);
    }
    fesetround(FE_TONEAREST);
}

static void print_exceptions(void)
{
    volatile double zero = 0.0, one = 1.0, big = DBL_MAX, tiny = DBL_MIN;
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r = one / zero;
    flags("1/0");
    r = zero / zero;
    printf("0/0 bits %016llx\n", (unsigned long long)bits(r));
    flags("0/0");
    r = big * 2.0;
    flags("max*2");
    r = tiny / 3.0;
    printf("min/3 = %a\n", r);
    flags("min/3");
    r = tiny / 4.0;
    flags("min/4 (exact subnormal)");
    r = one + 1.0;
    flags("1+1");
    r = sqrt(-one);
    printf("sqrt(-1) bits %016llx\n", (unsigned long long)bits(r));
    flags("sqrt(-1)");
    (void)r;
}

static jmp_buf env;

static void __attribute__((noinline)) jump(double *sink)
{
    /* Clobber the callee-saved VFP registers, then jump back. */
    register double a __asm__("d8") = *sink * 3.0;
    register double b __asm__("d15") = *sink * 5.0;
    __asm__ volatile("" : "+w"(a), "+w"(b));
    *sink = a + b;
    longjmp(env, 1);
}

static void print_setjmp(void)
{
    register double keep8 __asm__("d8") = 1.25;
    register double keep15 __asm__("d15") = -7.5;
    __asm__ volatile("" : "+w"(keep8), "+w"(keep15));
    volatile double sink = 2.0;
    if (setjmp(env) == 0) jump((double *)&sink);
    __asm__ volatile("" : "+w"(keep8), "+w"(keep15));
    printf("after longjmp d8=%g d15=%g sink=%g\n", keep8, keep15, sink);
}

static void print_conversions(void)
{
    static const char *strs[] = {"0.1", "1e-320", "2.2250738585072011e-308", "1.7976931348623157e308", "1e309", "-0", "nan", "inf",
                                 "0x1.fffffffffffffp-1", "3.14159265358979323846264338327950288"};
    for (unsigned i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        double d = strtod(strs[i], NULL);
        float f = strtof(strs[i], NULL);
        printf("strtod(%s)=%a strtof=%a\n", strs[i], d, (double)f);
    }
    for (unsigned i = 0; i < NVD; i++) {
        volatile double x = vd[i] * 1e9;
        printf("(int)%a=%d (unsigned)=%u (long long)=%lld (float)=%a\n", x, (int)x, (unsigned)x, (long long)x, (double)(float)x);
    }
    flags("conversions");
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    print_math();
    print_rounding();
    print_exceptions();
    print_setjmp();
    print_conversions();
    double sorted[NVD];
    for (unsigned i = 0; i < NVD; i++) sorted[i] = vd[i];
    qsort(sorted, NVD, sizeof sorted[0], cmp);
    for (unsigned i = 0; i < NVD; i++) printf("%g ", sorted[i]);
    fenv_t fe;
    fegetenv(&fe);
    printf("\nfenv %08x\n", (unsigned)fe.__cw);
    return 0;
}
