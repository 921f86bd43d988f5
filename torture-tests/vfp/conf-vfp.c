/* conf-vfp: every VFPv3 data-processing instruction on a pool of operands
 * rich in special values (signed zeros, subnormals, the normal range's ends,
 * infinities, quiet and signalling NaNs with payloads, integers near the
 * conversion limits), under every FPSCR status: the four rounding modes, FZ,
 * DN, and the cumulative flags cleared or with IXC already set (which is
 * what lets mttcg's inline fast path run).
 *
 * Output: one line per (instruction, status) group with a hash of every
 * result's bits, FPSCR and APSR.NZCV, so that a differential test compares
 * about 1,300 lines instead of a million results:
 *   G <op> <status> <cases> <hash>
 * `conf-vfp verbose OP STATUS` prints that group's cases one by one:
 *   C <op> <status> <a> <b> <acc> -> <result> <fpscr> <nzcv>
 */
#include "vfp-rt.h"

typedef uint64_t u64;
typedef uint32_t u32;

/* Operands and results, as the asm wrappers see them (offsets fixed below). */
struct io {
    u64 a;      /* 0: first operand (Dn / Sn in the low word) */
    u64 b;      /* 8: second operand (Dm / Sm) */
    u64 r;      /* 16: accumulator in, result out (Dd / Sd) */
    u32 fpscr;  /* 24: FPSCR in and out */
    u32 apsr;   /* 28: APSR after the instruction */
};

#define LOAD "vldr d0, [%0]\n\tvldr d1, [%0, #8]\n\tvldr d2, [%0, #16]\n\tldr r3, [%0, #24]\n\tvmsr fpscr, r3\n\t"
#define STORE "\n\tvmrs r3, fpscr\n\tstr r3, [%0, #24]\n\tvstr d2, [%0, #16]\n\tmrs r3, apsr\n\tstr r3, [%0, #28]\n"
#define OP(NAME, INSN) \
    static void NAME(struct io *p) \
    { \
        __asm__ volatile(LOAD INSN STORE : : "r"(p) : "r3", "d0", "d1", "d2", "memory", "cc"); \
    }

/* binary64: d2 = op(d0, d1); singles use s0 (low of d0), s2 (low of d1), s4 (low of d2) */
OP(d_add, "vadd.f64 d2, d0, d1")
OP(d_sub, "vsub.f64 d2, d0, d1")
OP(d_mul, "vmul.f64 d2, d0, d1")
OP(d_nmul, "vnmul.f64 d2, d0, d1")
OP(d_div, "vdiv.f64 d2, d0, d1")
OP(d_mla, "vmla.f64 d2, d0, d1")
OP(d_mls, "vmls.f64 d2, d0, d1")
OP(d_nmla, "vnmla.f64 d2, d0, d1")
OP(d_nmls, "vnmls.f64 d2, d0, d1")
OP(d_sqrt, "vsqrt.f64 d2, d0")
OP(d_abs, "vabs.f64 d2, d0")
OP(d_neg, "vneg.f64 d2, d0")
OP(d_cmp, "vcmp.f64 d0, d1\n\tvmrs APSR_nzcv, fpscr")
OP(d_cmpe, "vcmpe.f64 d0, d1\n\tvmrs APSR_nzcv, fpscr")
OP(d_cmpz, "vcmp.f64 d0, #0\n\tvmrs APSR_nzcv, fpscr")
OP(d_cmpez, "vcmpe.f64 d0, #0\n\tvmrs APSR_nzcv, fpscr")
OP(d_to_s, "vcvt.f32.f64 s4, d0")
OP(d_tosiz, "vcvt.s32.f64 s4, d0")
OP(d_tosi, "vcvtr.s32.f64 s4, d0")
OP(d_touiz, "vcvt.u32.f64 s4, d0")
OP(d_toui, "vcvtr.u32.f64 s4, d0")
OP(d_tosh, "vcvt.s16.f64 d0, d0, #3\n\tvmov.f64 d2, d0")
OP(d_touh, "vcvt.u16.f64 d0, d0, #0\n\tvmov.f64 d2, d0")
OP(d_tosl, "vcvt.s32.f64 d0, d0, #20\n\tvmov.f64 d2, d0")
OP(d_toul, "vcvt.u32.f64 d0, d0, #32\n\tvmov.f64 d2, d0")
OP(s_add, "vadd.f32 s4, s0, s2")
OP(s_sub, "vsub.f32 s4, s0, s2")
OP(s_mul, "vmul.f32 s4, s0, s2")
OP(s_nmul, "vnmul.f32 s4, s0, s2")
OP(s_div, "vdiv.f32 s4, s0, s2")
OP(s_mla, "vmla.f32 s4, s0, s2")
OP(s_mls, "vmls.f32 s4, s0, s2")
OP(s_nmla, "vnmla.f32 s4, s0, s2")
OP(s_nmls, "vnmls.f32 s4, s0, s2")
OP(s_sqrt, "vsqrt.f32 s4, s0")
OP(s_abs, "vabs.f32 s4, s0")
OP(s_neg, "vneg.f32 s4, s0")
OP(s_cmp, "vcmp.f32 s0, s2\n\tvmrs APSR_nzcv, fpscr")
OP(s_cmpe, "vcmpe.f32 s0, s2\n\tvmrs APSR_nzcv, fpscr")
OP(s_cmpz, "vcmp.f32 s0, #0\n\tvmrs APSR_nzcv, fpscr")
OP(s_to_d, "vcvt.f64.f32 d2, s0")
OP(s_tosiz, "vcvt.s32.f32 s4, s0")
OP(s_tosi, "vcvtr.s32.f32 s4, s0")
OP(s_touiz, "vcvt.u32.f32 s4, s0")
OP(s_toui, "vcvtr.u32.f32 s4, s0")
OP(s_tosh, "vcvt.s16.f32 s0, s0, #7\n\tvmov.f32 s4, s0")
OP(s_toul, "vcvt.u32.f32 s0, s0, #1\n\tvmov.f32 s4, s0")
OP(s_tosl, "vcvt.s32.f32 s0, s0, #31\n\tvmov.f32 s4, s0")
/* integer and fixed-point sources: the integer is in s0 (low word of a) */
OP(i_sitod, "vcvt.f64.s32 d2, s0")
OP(i_uitod, "vcvt.f64.u32 d2, s0")
OP(i_sitos, "vcvt.f32.s32 s4, s0")
OP(i_uitos, "vcvt.f32.u32 s4, s0")
OP(i_shtod, "vcvt.f64.s16 d0, d0, #5\n\tvmov.f64 d2, d0")
OP(i_ultod, "vcvt.f64.u32 d0, d0, #32\n\tvmov.f64 d2, d0")
OP(i_shtos, "vcvt.f32.s16 s0, s0, #16\n\tvmov.f32 s4, s0")
OP(i_sltos, "vcvt.f32.s32 s0, s0, #9\n\tvmov.f32 s4, s0")
OP(i_uhtos, "vcvt.f32.u16 s0, s0, #1\n\tvmov.f32 s4, s0")

enum { UNARY = 1, BINARY = 2, TERNARY = 3 };
enum { POOL_D, POOL_S, POOL_I };

struct op {
    const char *name;
    void (*fn)(struct io *);
    int arity;
    int pool;
};

static const struct op ops[] = {
    {"vadd.f64", d_add, BINARY, POOL_D}, {"vsub.f64", d_sub, BINARY, POOL_D},
    {"vmul.f64", d_mul, BINARY, POOL_D}, {"vnmul.f64", d_nmul, BINARY, POOL_D},
    {"vdiv.f64", d_div, BINARY, POOL_D}, {"vmla.f64", d_mla, TERNARY, POOL_D},
    {"vmls.f64", d_mls, TERNARY, POOL_D}, {"vnmla.f64", d_nmla, TERNARY, POOL_D},
    {"vnmls.f64", d_nmls, TERNARY, POOL_D}, {"vsqrt.f64", d_sqrt, UNARY, POOL_D},
    {"vabs.f64", d_abs, UNARY, POOL_D}, {"vneg.f64", d_neg, UNARY, POOL_D},
    {"vcmp.f64", d_cmp, BINARY, POOL_D}, {"vcmpe.f64", d_cmpe, BINARY, POOL_D},
    {"vcmp.f64#0", d_cmpz, UNARY, POOL_D}, {"vcmpe.f64#0", d_cmpez, UNARY, POOL_D},
    {"vcvt.f32.f64", d_to_s, UNARY, POOL_D}, {"vcvt.s32.f64", d_tosiz, UNARY, POOL_D},
    {"vcvtr.s32.f64", d_tosi, UNARY, POOL_D}, {"vcvt.u32.f64", d_touiz, UNARY, POOL_D},
    {"vcvtr.u32.f64", d_toui, UNARY, POOL_D}, {"vcvt.s16.f64#3", d_tosh, UNARY, POOL_D},
    {"vcvt.u16.f64#0", d_touh, UNARY, POOL_D}, {"vcvt.s32.f64#20", d_tosl, UNARY, POOL_D},
    {"vcvt.u32.f64#32", d_toul, UNARY, POOL_D},
    {"vadd.f32", s_add, BINARY, POOL_S}, {"vsub.f32", s_sub, BINARY, POOL_S},
    {"vmul.f32", s_mul, BINARY, POOL_S}, {"vnmul.f32", s_nmul, BINARY, POOL_S},
    {"vdiv.f32", s_div, BINARY, POOL_S}, {"vmla.f32", s_mla, TERNARY, POOL_S},
    {"vmls.f32", s_mls, TERNARY, POOL_S}, {"vnmla.f32", s_nmla, TERNARY, POOL_S},
    {"vnmls.f32", s_nmls, TERNARY, POOL_S}, {"vsqrt.f32", s_sqrt, UNARY, POOL_S},
    {"vabs.f32", s_abs, UNARY, POOL_S}, {"vneg.f32", s_neg, UNARY, POOL_S},
    {"vcmp.f32", s_cmp, BINARY, POOL_S}, {"vcmpe.f32", s_cmpe, BINARY, POOL_S},
    {"vcmp.f32#0", s_cmpz, UNARY, POOL_S}, {"vcvt.f64.f32", s_to_d, UNARY, POOL_S},
    {"vcvt.s32.f32", s_tosiz, UNARY, POOL_S}, {"vcvtr.s32.f32", s_tosi, UNARY, POOL_S},
    {"vcvt.u32.f32", s_touiz, UNARY, POOL_S}, {"vcvtr.u32.f32", s_toui, UNARY, POOL_S},
    {"vcvt.s16.f32#7", s_tosh, UNARY, POOL_S}, {"vcvt.u32.f32#1", s_toul, UNARY, POOL_S},
    {"vcvt.s32.f32#31", s_tosl, UNARY, POOL_S},
    {"vcvt.f64.s32", i_sitod, UNARY, POOL_I}, {"vcvt.f64.u32", i_uitod, UNARY, POOL_I},
    {"vcvt.f32.s32", i_sitos, UNARY, POOL_I}, {"vcvt.f32.u32", i_uitos, UNARY, POOL_I},
    {"vcvt.f64.s16#5", i_shtod, UNARY, POOL_I}, {"vcvt.f64.u32#32", i_ultod, UNARY, POOL_I},
    {"vcvt.f32.s16#16", i_shtos, UNARY, POOL_I}, {"vcvt.f32.s32#9", i_sltos, UNARY, POOL_I},
    {"vcvt.f32.u16#1", i_uhtos, UNARY, POOL_I},
};
#define NOPS (sizeof ops / sizeof ops[0])

static const u64 pool_d[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
    0x3fb999999999999aull, 0x400921fb54442d18ull, 0x3cb0000000000000ull, 0xc004000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7fe0000000000000ull, 0x5fe0000000000001ull,
    0x0010000000000000ull, 0x8010000000000001ull, 0x000fffffffffffffull, 0x0000000000000001ull,
    0x8008000000000000ull, 0x1ff0000000000003ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0x7ff8000000001234ull, 0xfff4000000000001ull, 0x7ff0000000000001ull,
    0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000100000ull, 0x41efffffffe00000ull,
    0x3fe0000000000000ull, 0x4004000000000000ull, 0x40dfffc000000000ull, 0xc0dfffe000000000ull,
};
static const u32 pool_s[] = {
    0x00000000u, 0x80000000u, 0x3f800000u, 0xbfc00000u, 0x3dcccccdu, 0x40490fdbu, 0x34000000u, 0xc0200000u,
    0x7f7fffffu, 0xff7fffffu, 0x7f000000u, 0x5f000001u, 0x00800000u, 0x80800001u, 0x007fffffu, 0x00000001u,
    0x80400000u, 0x1f800003u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fc01234u, 0xffa00001u, 0x7f800001u,
    0x4effffffu, 0x4f000000u, 0xcf000001u, 0x4f7fffffu, 0x3f000000u, 0x40200000u, 0x46fffe00u, 0xc6ffff00u,
};
static const u32 pool_i[] = {
    0, 1, 0xffffffffu, 0x7fffffffu, 0x80000000u, 0x00ffffffu, 0x01000001u, 0x7fffffc1u,
    0x80000001u, 0x00008000u, 0x0000ffffu, 0x12345678u, 0xfffe7961u, 0x00007fffu, 0x0001fffeu, 0xdeadbeefu,
};

static u32 pool_len(int pool)
{
    return pool == POOL_D ? sizeof pool_d / 8 : pool == POOL_S ? sizeof pool_s / 4 : sizeof pool_i / 4;
}

static u64 pool_at(int pool, u32 i)
{
    /* Singles and integers sit in the low word; the high word is a marker that must survive. */
    return pool == POOL_D ? pool_d[i] : (0x5a5a5a5aull << 32) | (pool == POOL_S ? pool_s[i] : pool_i[i]);
}

/* Status combinations: RMode (4) x FZ x DN x (flags clear | IXC preset). */
#define NSTATUS 32
static u32 status_fpscr(u32 s)
{
    return ((s & 3) << 22) | ((s >> 2 & 1) << 24) | ((s >> 3 & 1) << 25) | ((s >> 4 & 1) ? 0x10 : 0);
}

static u32 hash_word(u32 h, u32 w)
{
    for (int i = 0; i < 4; i++) {
        h ^= (w >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}

static void run_group(u32 opi, u32 status, int verbose)
{
    const struct op *op = &ops[opi];
    u32 n = pool_len(op->pool);
    u32 h = 2166136261u, cases = 0;
    u32 nb = op->arity >= BINARY ? n : 1;
    for (u32 i = 0; i < n; i++) {
        for (u32 j = 0; j < nb; j++) {
            struct io io;
            io.a = pool_at(op->pool, i);
            io.b = pool_at(op->pool, j);
            /* The accumulator walks the pool so that every value meets the others. */
            io.r = op->arity == TERNARY ? pool_at(op->pool, rt_umod(i * 7 + j * 3 + status, n)) : 0x0123456789abcdefull;
            io.fpscr = status_fpscr(status) | 0x60000000u;
            io.apsr = 0;
            u64 acc = io.r;
            op->fn(&io);
            u32 nzcv = io.apsr & 0xf0000000u;
            h = hash_word(hash_word(hash_word(hash_word(h, (u32)io.r), (u32)(io.r >> 32)), io.fpscr), nzcv);
            cases++;
            if (verbose) {
                rt_puts("C ");
                rt_puts(op->name);
                rt_putc(' ');
                rt_dec(status);
                rt_putc(' ');
                rt_hex64(io.a);
                rt_putc(' ');
                rt_hex64(io.b);
                rt_putc(' ');
                rt_hex64(acc);
                rt_puts(" -> ");
                rt_hex64(io.r);
                rt_putc(' ');
                rt_hex32(io.fpscr);
                rt_putc(' ');
                rt_hex32(nzcv);
                rt_putc('\n');
            }
        }
    }
    if (!verbose) {
        rt_puts("G ");
        rt_puts(op->name);
        rt_putc(' ');
        rt_dec(status);
        rt_putc(' ');
        rt_dec(cases);
        rt_putc(' ');
        rt_hex32(h);
        rt_putc('\n');
    }
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

int main(int argc, char **argv)
{
    if (argc == 4 && streq(argv[1], "verbose")) {
        for (u32 i = 0; i < NOPS; i++) {
            if (streq(ops[i].name, argv[2])) run_group(i, rt_atou(argv[3]), 1);
        }
        return 0;
    }
    for (u32 i = 0; i < NOPS; i++) {
        for (u32 s = 0; s < NSTATUS; s++) run_group(i, s, 0);
    }
    return 0;
}
