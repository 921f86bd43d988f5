/* conf-libc: glibc conformance (static, soft-float, no floating point at all).
 * Covers printf/snprintf integer and string formatting, malloc/realloc/free
 * over many sizes (including >128KiB blocks that glibc serves with mmap),
 * the mem and str families, qsort/bsearch, setjmp/longjmp, 64-bit division
 * helpers (__aeabi_uldivmod/__aeabi_ldivmod), strtol and friends, and getenv
 * of an unset variable.  No pointer values, times or pids are printed.
 * Exit 0 unless a self-check fails (then 1). */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

static u32 ck = 0x811c9dc5u;
static void mix(u32 v) { ck = (ck ^ v) * 0x01000193u; ck ^= ck >> 13; }
static void mixs(const char *s) { while (*s) mix((unsigned char)*s++); }
static u32 rs = 0x13579bdfu;
static u32 rnd(void) { u32 x = rs; x ^= x << 13; x ^= x >> 17; x ^= x << 5; return rs = x; }
static int fails;
/* printf that also folds the formatted line into the checksum */
static void P(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void P(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    mixs(line);
    fputs(line, stdout);
}
#define CHECK(c) do { if (!(c)) { P("FAIL line %d: %s\n", __LINE__, #c); fails++; } } while (0)

/* ---- printf / snprintf ---- */
static void printf_section(void)
{
    char b[256];
    int n;
    printf("ints: %d %i %u %d %d\n", 0, -1, 4000000000u, 2147483647, (int)-2147483647 - 1);
    printf("hex: %x %X %#x %#o %o %08x %-8x|\n", 0xdeadbeefu, 0xcafef00du, 255, 8, 511, 0x1234, 0xab);
    printf("width: [%5d] [%-5d] [%05d] [%+d] [% d] [%*d] [%-*d]\n", 42, 42, -42, 7, 7, 6, 99, 6, 99);
    printf("prec: [%.3d] [%.0d] [%8.4x] [%.2s] [%.*s]\n", 5, 0, 0xab, "abcdef", 3, "xyzw");
    printf("long long: %lld %llu %llx %#llX\n", -1234567890123456789LL, 18446744073709551615ULL,
           0x0123456789abcdefULL, 0xfedcba9876543210ULL);
    printf("short/char: %hd %hu %hhd %hhu %hhx\n", (short)-32768, (unsigned short)65535,
           (signed char)-128, (unsigned char)255, (unsigned char)0x7f);
    printf("size: %zu %zd %td %ld %lu\n", (size_t)123456, (ssize_t)-5, (ptrdiff_t)-77, -3L, 3UL);
    printf("chars: [%c%c%c] [%s] [%10s] [%-10s] [%%]\n", 'A', 'r', 'm', "str", "right", "left");
    printf("positional: %2$s %1$s %3$d\n", "world", "hello", 3);
    n = snprintf(b, sizeof b, "%s-%d-%x", "abc", -17, 0x1fu);
    printf("snprintf '%s' ret %d\n", b, n);
    mixs(b);
    volatile size_t small = 8;
    n = snprintf(b, small, "%s", "0123456789abcdef");
    printf("snprintf trunc '%s' ret %d len %zu\n", b, n, strlen(b));
    n = snprintf(NULL, 0, "%d:%s", 123456, "counting");
    printf("snprintf NULL ret %d\n", n);
    u32 c2 = 0;
    for (int i = 0; i < 200; i++) {
        u32 v = rnd();
        n = snprintf(b, sizeof b, "%u|%x|%o|%d|%lld|%08X|%.5u", v, v, v, (int)v, (long long)(int)v * 977, v >> 7, v & 0xff);
        mixs(b);
        c2 += (u32)n;
    }
    printf("snprintf random total len %u ck %08x\n", c2, ck);
}

/* ---- malloc / realloc / free ---- */
static u32 fill(unsigned char *p, size_t n, u32 seed)
{
    u32 s = 0;
    for (size_t i = 0; i < n; i++) { p[i] = (unsigned char)(seed + i * 131 + (i >> 9)); s = s * 31 + p[i]; }
    return s;
}
static u32 sum(const unsigned char *p, size_t n)
{
    u32 s = 0;
    for (size_t i = 0; i < n; i++) s = s * 31 + p[i];
    return s;
}

static void malloc_section(void)
{
    static const size_t sizes[] = {0, 1, 7, 8, 15, 16, 24, 100, 255, 1000, 4095, 4096, 4097,
        65536, 131071, 131072, 200000, 262144 + 17, 1048576, 3 * 1048576 + 5};
    enum { NS = sizeof sizes / sizeof sizes[0] };
    void *p[NS];
    u32 s[NS];
    int aligned = 0, ok = 0;
    for (int i = 0; i < NS; i++) {
        p[i] = malloc(sizes[i]);
        aligned += ((uintptr_t)p[i] & 7) == 0 && p[i] != NULL;
        s[i] = fill(p[i], sizes[i], (u32)i);
    }
    for (int i = NS - 1; i >= 0; i--) ok += sum(p[i], sizes[i]) == s[i];
    P("malloc %d blocks: non-null+8-aligned %d, contents intact %d\n", NS, aligned, ok);
    /* realloc up and down across the mmap threshold, content must survive */
    size_t cur = 10;
    unsigned char *q = malloc(cur);
    fill(q, cur, 99);
    u32 pre = sum(q, cur);
    static const size_t steps[] = {100, 5000, 140000, 600000, 2000000, 70000, 300, 2500000, 12};
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        size_t nw = steps[i], keep = nw < cur ? nw : cur;
        u32 want = sum(q, keep);
        q = realloc(q, nw);
        int good = q != NULL && sum(q, keep) == want;
        CHECK(good);
        for (size_t j = cur; j < nw; j++) q[j] = (unsigned char)(j ^ i);
        P("realloc %zu -> %zu keep %zu ok %d\n", cur, nw, keep, good);
        cur = nw;
    }
    P("realloc final sum %08x (initial %08x)\n", sum(q, cur), pre);
    free(q);
    for (int i = 0; i < NS; i++) free(p[i]);
    /* churn: many live blocks of pseudo-random sizes, freed in random order */
    enum { NB = 600 };
    static unsigned char *blk[NB];
    static u32 bsz[NB], bsum[NB];
    u32 total = 0, bad = 0;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < NB; i++) {
            u32 r = rnd();
            if (blk[i] && (r & 1)) {
                bad += sum(blk[i], bsz[i]) != bsum[i];
                free(blk[i]);
                blk[i] = NULL;
            }
            if (!blk[i]) {
                bsz[i] = (r >> 8) % ((r & 0xf0) == 0xf0 ? 150000 : 700);
                blk[i] = malloc(bsz[i]);
                bsum[i] = fill(blk[i], bsz[i], r);
                total += bsz[i];
            }
        }
    }
    void *cz = calloc(3000, 7);
    int zero = 1;
    for (int i = 0; i < 21000; i++) zero &= ((unsigned char *)cz)[i] == 0;
    free(cz);
    for (int i = 0; i < NB; i++) { bad += sum(blk[i], bsz[i]) != bsum[i]; free(blk[i]); }
    P("churn allocated %u bytes, corrupted %u, calloc zero %d\n", total, bad, zero);
    CHECK(bad == 0 && zero && ok == NS && aligned == NS - (sizes[0] == 0 && p[0] == NULL));
}

/* ---- string and memory functions ---- */
static int cmp_u32(const void *a, const void *b)
{
    u32 x = *(const u32 *)a, y = *(const u32 *)b;
    return x < y ? -1 : x > y;
}
struct rec { char name[12]; int key; };
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->key - y->key;
}

static void string_section(void)
{
    static unsigned char a[1024], b[1024];
    for (int i = 0; i < 1024; i++) a[i] = (unsigned char)(i * 7 + 3);
    u32 c = 0;
    /* memcpy/memmove/memset with every small length and misalignment */
    for (int src = 0; src < 8; src++)
        for (int dst = 0; dst < 8; dst++)
            for (int len = 0; len < 70; len += 3) {
                memset(b, 0xee, 200);
                memcpy(b + dst, a + src, len);
                c = c * 33 + sum(b, 200);
                memmove(b + dst + 1, b + dst, len);
                c = c * 33 + sum(b, 200);
                memmove(b + src, b + src + 2, len);
                c = c * 33 + sum(b, 200);
                memset(b + dst, src * 17, len);
                c = c * 33 + sum(b, 200);
            }
    P("mem* misaligned ck %08x\n", c);
    memcpy(b, a, 1024);
    memmove(b + 100, b, 900);
    memmove(b, b + 37, 987);
    P("memmove big %08x memcmp %d %d %d\n", sum(b, 1024), memcmp(a, a, 1024) == 0,
           memcmp("abcd", "abce", 4) < 0, memcmp("b", "a", 1) > 0);
    const char *s = "The quick brown fox jumps over the lazy dog";
    P("strlen %zu %zu %zu\n", strlen(s), strlen(""), strlen(s + 10));
    P("strcmp %d %d %d strncmp %d\n", strcmp("abc", "abc") == 0, strcmp("abc", "abd") < 0,
           strcmp("b", "abc") > 0, strncmp("hello", "help", 3) == 0);
    P("strchr %d %d strrchr %d memchr %d strstr %d\n", (int)(strchr(s, 'q') - s),
           strchr(s, 'Z') == NULL, (int)(strrchr(s, 'o') - s), (int)((const char *)memchr(s, 'z', 43) - s),
           (int)(strstr(s, "lazy") - s));
    char t[64];
    strcpy(t, "alpha");
    strcat(t, "-beta");
    char g[16];
    strcpy(g, "-gammadelta");
    volatile size_t six = 6;
    strncat(t, g, six);
    P("strcpy/strcat '%s' strspn %zu strcspn %zu\n", t, strspn(t, "ahlp"), strcspn(t, "-"));
    char *d = strdup(s);
    int words = 0;
    for (char *save, *w = strtok_r(d, " ", &save); w; w = strtok_r(NULL, " ", &save)) words++;
    free(d);
    P("strtok words %d\n", words);
    /* qsort + bsearch */
    enum { N = 5000 };
    static u32 v[N];
    for (int i = 0; i < N; i++) v[i] = rnd() % 100000;
    qsort(v, N, sizeof v[0], cmp_u32);
    int sorted = 1;
    u32 vs = 0;
    for (int i = 0; i < N; i++) { if (i) sorted &= v[i - 1] <= v[i]; vs = vs * 31 + v[i]; }
    int found = 0;
    for (u32 k = 0; k < 100000; k += 97) found += bsearch(&k, v, N, sizeof v[0], cmp_u32) != NULL;
    P("qsort %d sorted %d ck %08x min %u max %u bsearch found %d\n", N, sorted, vs, v[0], v[N - 1], found);
    CHECK(sorted);
    static const char *names[] = {"pear", "apple", "fig", "kiwi", "apple", "date", "fig", "banana"};
    struct rec r[8];
    for (int i = 0; i < 8; i++) { strcpy(r[i].name, names[i]); r[i].key = 8 - i; }
    qsort(r, 8, sizeof r[0], cmp_rec);
    P("qsort recs:");
    for (int i = 0; i < 8; i++) P(" %s/%d", r[i].name, r[i].key);
    P("\n");
    struct rec key = {"kiwi", 5};
    struct rec *hit = bsearch(&key, r, 8, sizeof r[0], cmp_rec);
    P("bsearch kiwi/5 -> index %d\n", hit ? (int)(hit - r) : -1);
}

/* ---- setjmp / longjmp ---- */
static jmp_buf jb, jb2;
static int depth_reached;
static void dive(int d)
{
    volatile char pad[64];
    pad[d & 63] = (char)d;
    depth_reached = d + pad[d & 63] - d;
    if (d > 1000) return; /* never taken; keeps the recursion finite for gcc */
    if (d < 50) dive(d + 1);
    else longjmp(jb, d * 3);
}
static void inner(void) { longjmp(jb2, 0); /* value 0 must arrive as 1 */ }

static void setjmp_section(void)
{
    volatile int count = 0;
    volatile u32 acc = 1;
    int r = setjmp(jb);
    acc = acc * 7 + (u32)r;
    if (r == 0) {
        dive(0);
    } else if (r == 150 && count < 5) {
        count++;
        longjmp(jb, 150);
    }
    P("setjmp returned %d after %d re-entries depth %d acc %08x\n", r, count, depth_reached, acc);
    int r2 = setjmp(jb2);
    if (r2 == 0) inner();
    P("longjmp(0) delivered %d\n", r2);
}

/* ---- 64-bit arithmetic helpers ---- */
static void div64_section(void)
{
    static const u64 nums[] = {0, 1, 7, 0xffffffffu, 0x100000000ULL, 0x123456789abcdef0ULL,
        0xffffffffffffffffULL, 0x8000000000000000ULL, 1000000000000ULL, 0x7fffffffffffffffULL};
    static const u64 dens[] = {1, 2, 3, 10, 0xffffffffu, 0x100000000ULL, 0x123456789ULL,
        0xfedcba9876543210ULL, 0x7fffffffffffffffULL, 0xffffffffffffffffULL};
    volatile u64 vn, vd;
    u32 c = 0;
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++) {
            vn = nums[i]; vd = dens[j];
            u64 q = vn / vd, m = vn % vd;
            s64 sq = (s64)vn / (s64)vd, sm = (s64)vn % (s64)vd;
            if (!((s64)vn == INT64_MIN && (s64)vd == -1))
                CHECK((u64)(sq * (s64)vd + sm) == vn);
            CHECK(q * vd + m == vn && m < vd);
            c = c * 31 + (u32)q + (u32)(q >> 32) * 3 + (u32)m * 5 + (u32)(m >> 32) * 7;
            c = c * 31 + (u32)sq + (u32)((u64)sq >> 32) * 3 + (u32)sm * 5 + (u32)((u64)sm >> 32) * 7;
            if (i == 5 || (i == 6 && j < 4))
                P("div64 %016llx / %016llx = %llx r %llx  signed %lld r %lld\n",
                       nums[i], dens[j], q, m, sq, sm);
        }
    for (int i = 0; i < 300; i++) {
        vn = ((u64)rnd() << 32) | rnd();
        vd = (rnd() & 1) ? rnd() | 1 : (((u64)(rnd() >> (rnd() & 31)) << 32) | rnd()) | 1;
        u64 q = vn / vd, m = vn % vd;
        CHECK(q * vd + m == vn && m < vd);
        c = c * 31 + (u32)q + (u32)(q >> 32) + (u32)m + (u32)(m >> 32);
    }
    volatile u64 a = 0x00000001ffffffffULL, b = 0xfffffffe00000001ULL;
    volatile s64 sa = -123456789012345LL;
    P("mul64 %llx shift %llx %llx %llx ck %08x\n", a * b, a << 35, b >> 33,
           (u64)(sa >> 7), c);
}

/* ---- conversions and environment ---- */
static void misc_section(void)
{
    char *end;
    P("strtol %ld %ld %ld end '%s'\n", strtol("  -12345xyz", &end, 10), strtol("0x7f", NULL, 16),
           strtol("777", NULL, 8), end);
    P("strtoul %lu strtoll %lld strtoull %llu atoi %d\n", strtoul("4294967295", NULL, 10),
           strtoll("-9223372036854775807", NULL, 10), strtoull("0xffffffffffffffff", NULL, 0), atoi("  42abc"));
    int x = 0, y = 0;
    char w[16] = "";
    int n = sscanf("17 0x2a word", "%d %i %15s", &x, &y, w);
    P("sscanf %d -> %d %d '%s'\n", n, x, y, w);
    const char *e = getenv("MTTCG_LAB_CONF_LIBC_UNSET_VARIABLE");
    P("getenv unset -> %s\n", e ? "SET?!" : "(null)");
    P("abs %d labs %ld llabs %lld div %d/%d\n", abs(-5), labs(-6L), llabs(-7LL),
           div(-17, 5).quot, div(-17, 5).rem);
}

int main(void)
{
    printf_section();
    malloc_section();
    string_section();
    setjmp_section();
    div64_section();
    misc_section();
    printf("checksum %08x fails %d\n", ck, fails);
    return fails ? 1 : 0;
}
