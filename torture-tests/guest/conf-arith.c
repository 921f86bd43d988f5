/* conf-arith: A32 data-processing, flag, shifter, multiply, divide and
 * bit-manipulation conformance.  Every instruction under test is written in
 * inline asm; flags are set explicitly with MSR before each op and captured
 * with MRS after it (masked to NZCVQ / GE so only architected bits appear).
 * Output is deterministic; exit 0 unless the C reference self-check fails. */
#include <stdio.h>
#include <stdint.h>

typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;

#define FN 0x80000000u
#define FZ 0x40000000u
#define FC 0x20000000u
#define FV 0x10000000u
#define FQ 0x08000000u
#define FMASK 0xf8000000u /* NZCVQ */
#define GMASK 0xf80f0000u /* NZCVQ + GE[3:0] */

static const char *fl(u32 f)
{
    static char buf[8][8];
    static unsigned n;
    char *s = buf[n++ & 7];
    s[0] = (f & FN) ? 'N' : '-';
    s[1] = (f & FZ) ? 'Z' : '-';
    s[2] = (f & FC) ? 'C' : '-';
    s[3] = (f & FV) ? 'V' : '-';
    s[4] = (f & FQ) ? 'Q' : '-';
    s[5] = 0;
    return s;
}

static u32 ck;
static void mix(u32 v) { ck = (ck ^ v) * 0x01000193u; ck ^= ck >> 13; }
static u32 rs = 0x2545f491u;
static u32 rnd(void) { u32 x = rs; x ^= x << 13; x ^= x >> 17; x ^= x << 5; return rs = x; }

/* one flag-setting op: msr flags, body, mrs */
#define FOP(body, R, F, A, B, FIN) \
    __asm__ volatile("msr APSR_nzcvq, %[fi]\n\t" body "\n\tmrs %[f], APSR" \
        : [r] "=&r"(R), [f] "=&r"(F) : [a] "r"(A), [b] "r"(B), [fi] "r"(FIN) : "cc")

typedef u32 (*alu_fn)(u32, u32, u32, u32 *);
#define ALU(name, body) \
    static u32 name(u32 a, u32 b, u32 fin, u32 *fo) \
    { u32 r, f; FOP(body, r, f, a, b, fin); *fo = f & FMASK; return r; }

ALU(op_adds, "adds %[r], %[a], %[b]")
ALU(op_adcs, "adcs %[r], %[a], %[b]")
ALU(op_subs, "subs %[r], %[a], %[b]")
ALU(op_sbcs, "sbcs %[r], %[a], %[b]")
ALU(op_rsbs, "rsbs %[r], %[a], %[b]")
ALU(op_rscs, "rscs %[r], %[a], %[b]")
ALU(op_cmp, "mov %[r], #0\n\tcmp %[a], %[b]")
ALU(op_cmn, "mov %[r], #0\n\tcmn %[a], %[b]")
ALU(op_tst, "mov %[r], #0\n\ttst %[a], %[b]")
ALU(op_teq, "mov %[r], #0\n\tteq %[a], %[b]")
ALU(op_ands, "ands %[r], %[a], %[b]")
ALU(op_orrs, "orrs %[r], %[a], %[b]")
ALU(op_eors, "eors %[r], %[a], %[b]")
ALU(op_bics, "bics %[r], %[a], %[b]")
ALU(op_mvns, "mvns %[r], %[b]")
ALU(op_adc, "adc %[r], %[a], %[b]")
ALU(op_sbc, "sbc %[r], %[a], %[b]")
ALU(op_rsc, "rsc %[r], %[a], %[b]")

/* kind selects the C reference: 1..6 add-with-carry variants, 10.. logical,
 * 20.. non-flag-setting (flags must be preserved) */
static const struct { const char *n; alu_fn f; int kind; int hasr; } alus[] = {
    {"adds", op_adds, 1, 1}, {"adcs", op_adcs, 2, 1}, {"subs", op_subs, 3, 1},
    {"sbcs", op_sbcs, 4, 1}, {"rsbs", op_rsbs, 5, 1}, {"rscs", op_rscs, 6, 1},
    {"cmp", op_cmp, 3, 0},   {"cmn", op_cmn, 1, 0},   {"tst", op_tst, 10, 0},
    {"teq", op_teq, 11, 0},  {"ands", op_ands, 10, 1}, {"orrs", op_orrs, 12, 1},
    {"eors", op_eors, 11, 1}, {"bics", op_bics, 13, 1}, {"mvns", op_mvns, 14, 1},
    {"adc", op_adc, 20, 1},  {"sbc", op_sbc, 21, 1},  {"rsc", op_rsc, 22, 1},
};
#define NALU (int)(sizeof alus / sizeof alus[0])

/* C reference for the result/flags of alus[i]; returns 1 if it matches */
static int ref_ok(int i, u32 a, u32 b, u32 fin, u32 r, u32 f)
{
    u32 c = (fin & FC) ? 1 : 0, x = a, y = b, cin = 0, er = 0, ef;
    int k = alus[i].kind;
    if (k >= 20) {
        er = k == 20 ? a + b + c : k == 21 ? a - b - !c : b - a - !c;
        return r == er && f == fin;
    }
    if (k >= 10) {
        er = k == 10 ? (a & b) : k == 11 ? (a ^ b) : k == 12 ? (a | b) : k == 13 ? (a & ~b) : ~b;
        ef = (fin & (FC | FV)) | (er >> 31 ? FN : 0) | (er ? 0 : FZ);
        return f == ef && (!alus[i].hasr || r == er);
    }
    switch (k) {
    case 1: cin = 0; break;
    case 2: cin = c; break;
    case 3: y = ~b; cin = 1; break;
    case 4: y = ~b; cin = c; break;
    case 5: x = b; y = ~a; cin = 1; break;
    case 6: x = b; y = ~a; cin = c; break;
    }
    u64 w = (u64)x + y + cin;
    er = (u32)w;
    ef = (er >> 31 ? FN : 0) | (er ? 0 : FZ) | ((w >> 32) ? FC : 0) |
         ((~(x ^ y) & (x ^ er)) >> 31 ? FV : 0);
    return f == ef && (!alus[i].hasr || r == er);
}

static const u32 corner[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu};
#define NCORNER 5
static int mismatches;

static void alu_section(void)
{
    for (int i = 0; i < NALU; i++)
        for (int x = 0; x < NCORNER; x++)
            for (int y = 0; y < NCORNER; y++) {
                u32 a = corner[x], b = corner[y], f0, f1;
                u32 r0 = alus[i].f(a, b, 0, &f0);
                u32 r1 = alus[i].f(a, b, FN | FZ | FC | FV, &f1);
                printf("%-4s %08x,%08x  f0:%08x %s  f1:%08x %s\n", alus[i].n, a, b,
                       r0, fl(f0), r1, fl(f1));
                mismatches += !ref_ok(i, a, b, 0, r0, f0);
                mismatches += !ref_ok(i, a, b, FN | FZ | FC | FV, r1, f1);
            }
}

/* ---- shifter operands ---- */
#define SHI(name, sh) \
    static void name(u32 a, u32 b, u32 fin, u32 *o) { u32 r, f; \
        FOP("movs %[r], %[a], " sh, r, f, a, b, fin); o[0] = r; o[1] = f & FMASK; \
        FOP("ands %[r], %[b], %[a], " sh, r, f, a, b, fin); o[2] = r; o[3] = f & FMASK; \
        FOP("adds %[r], %[b], %[a], " sh, r, f, a, b, fin); o[4] = r; o[5] = f & FMASK; \
        FOP("teq %[b], %[a], " sh "\n\tmov %[r], %[a], " sh, r, f, a, b, fin); o[6] = r; o[7] = f & FMASK; }
SHI(sh_lsl0, "lsl #0") SHI(sh_lsl1, "lsl #1") SHI(sh_lsl31, "lsl #31")
SHI(sh_lsr1, "lsr #1") SHI(sh_lsr31, "lsr #31") SHI(sh_lsr32, "lsr #32")
SHI(sh_asr1, "asr #1") SHI(sh_asr31, "asr #31") SHI(sh_asr32, "asr #32")
SHI(sh_ror1, "ror #1") SHI(sh_ror31, "ror #31") SHI(sh_rrx, "rrx")
typedef void (*sh_fn)(u32, u32, u32, u32 *);
static const struct { const char *n; sh_fn f; } shis[] = {
    {"lsl #0", sh_lsl0}, {"lsl #1", sh_lsl1}, {"lsl #31", sh_lsl31},
    {"lsr #1", sh_lsr1}, {"lsr #31", sh_lsr31}, {"lsr #32", sh_lsr32},
    {"asr #1", sh_asr1}, {"asr #31", sh_asr31}, {"asr #32", sh_asr32},
    {"ror #1", sh_ror1}, {"ror #31", sh_ror31}, {"rrx", sh_rrx}};

/* register-specified shifts: a = value, s = amount register, c = other operand */
#define SHR(name, ty) \
    static void name(u32 a, u32 s, u32 c, u32 fin, u32 *o) { u32 r, f; \
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\tmovs %[r], %[a], " ty " %[s]\n\tmrs %[f], APSR" \
            : [r] "=&r"(r), [f] "=&r"(f) : [a] "r"(a), [s] "r"(s), [fi] "r"(fin) : "cc"); \
        o[0] = r; o[1] = f & FMASK; \
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\teors %[r], %[c], %[a], " ty " %[s]\n\tmrs %[f], APSR" \
            : [r] "=&r"(r), [f] "=&r"(f) : [a] "r"(a), [s] "r"(s), [c] "r"(c), [fi] "r"(fin) : "cc"); \
        o[2] = r; o[3] = f & FMASK; \
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\tsubs %[r], %[c], %[a], " ty " %[s]\n\tmrs %[f], APSR" \
            : [r] "=&r"(r), [f] "=&r"(f) : [a] "r"(a), [s] "r"(s), [c] "r"(c), [fi] "r"(fin) : "cc"); \
        o[4] = r; o[5] = f & FMASK; }
SHR(shr_lsl, "lsl") SHR(shr_lsr, "lsr") SHR(shr_asr, "asr") SHR(shr_ror, "ror")
typedef void (*shr_fn)(u32, u32, u32, u32, u32 *);
static const struct { const char *n; shr_fn f; } shrs[] = {
    {"lsl", shr_lsl}, {"lsr", shr_lsr}, {"asr", shr_asr}, {"ror", shr_ror}};
static const u32 amounts[] = {0, 1, 7, 16, 31, 32, 33, 255, 256, 0xffffff01u};

static void shifter_section(void)
{
    static const u32 vals[] = {0x80000001u, 0x7ffffffeu, 0xffffffffu, 0, 0xa5a5a5a5u};
    u32 o[8], p[8];
    for (int i = 0; i < 12; i++)
        for (int v = 0; v < 5; v++) {
            shis[i].f(vals[v], 0x0f0f0f0fu, 0, o);
            shis[i].f(vals[v], 0xf0f0f0f0u, FC | FV, p);
            printf("shift %-7s %08x: movs %08x %s/%s ands %08x %s adds %08x %s teq %s/%s mov %08x\n",
                   shis[i].n, vals[v], o[0], fl(o[1]), fl(p[1]), o[2], fl(o[3]),
                   p[4], fl(p[5]), fl(o[7]), fl(p[7]), p[6]);
        }
    for (int i = 0; i < 4; i++)
        for (int v = 0; v < 4; v++)
            for (int k = 0; k < 10; k++) {
                shrs[i].f(vals[v], amounts[k], 0x12345678u, 0, o);
                shrs[i].f(vals[v], amounts[k], 0x12345678u, FC, p);
                printf("shift %s reg %08x by %08x: movs %08x %s/%s eors %08x %s subs %08x %s\n",
                       shrs[i].n, vals[v], amounts[k], o[0], fl(o[1]), fl(p[1]), o[2],
                       fl(o[3]), p[4], fl(p[5]));
            }
    /* modified-immediate carry-out: rotation != 0 sets C from bit 31 */
    u32 r, f, a = 0x8000ff01u;
    FOP("movs %[r], #0x80000000", r, f, a, a, 0); printf("movs #0x80000000 -> %08x %s\n", r, fl(f));
    FOP("movs %[r], #0xff", r, f, a, a, FC); printf("movs #0xff (C in) -> %08x %s\n", r, fl(f));
    FOP("movs %[r], #0x3fc", r, f, a, a, FC); printf("movs #0x3fc -> %08x %s\n", r, fl(f));
    FOP("mvns %[r], #0xf000000f", r, f, a, a, 0); printf("mvns #0xf000000f -> %08x %s\n", r, fl(f));
    FOP("ands %[r], %[a], #0xff000000", r, f, a, a, 0); printf("ands #0xff000000 -> %08x %s\n", r, fl(f));
    FOP("mov %[r], #0\n\ttst %[a], #0x80000000", r, f, a, a, FZ); printf("tst #0x80000000 -> %s\n", fl(f));
    FOP("mov %[r], #0\n\tteq %[a], #0x1", r, f, a, a, FC); printf("teq #1 -> %s\n", fl(f));
    FOP("bics %[r], %[a], #0x3f0", r, f, a, a, FC); printf("bics #0x3f0 -> %08x %s\n", r, fl(f));
    FOP("orrs %[r], %[a], #0x40000000", r, f, a, a, FC); printf("orrs #0x40000000 -> %08x %s\n", r, fl(f));
    FOP("rsbs %[r], %[a], #0", r, f, a, a, 0); printf("rsbs #0 -> %08x %s\n", r, fl(f));
}

/* ---- conditional execution ---- */
static void cond_section(void)
{
    static const char *cn[] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                               "hi", "ls", "ge", "lt", "gt", "le", "al"};
    for (u32 s = 0; s < 16; s++) {
        u32 fin = s << 28, m, f, one = 1;
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\tmov %[m], #0\n\t"
            "orreq %[m], %[m], #0x1\n\torrne %[m], %[m], #0x2\n\torrcs %[m], %[m], #0x4\n\t"
            "orrcc %[m], %[m], #0x8\n\torrmi %[m], %[m], #0x10\n\torrpl %[m], %[m], #0x20\n\t"
            "orrvs %[m], %[m], #0x40\n\torrvc %[m], %[m], #0x80\n\torrhi %[m], %[m], #0x100\n\t"
            "orrls %[m], %[m], #0x200\n\torrge %[m], %[m], #0x400\n\torrlt %[m], %[m], #0x800\n\t"
            "orrgt %[m], %[m], #0x1000\n\torrle %[m], %[m], #0x2000\n\torral %[m], %[m], #0x4000\n\t"
            "mrs %[f], APSR"
            : [m] "=&r"(m), [f] "=&r"(f) : [fi] "r"(fin) : "cc");
        printf("cond %s:", fl(fin));
        for (int c = 0; c < 15; c++) printf(" %s=%u", cn[c], (m >> c) & 1);
        printf(" keep=%s", fl(f & FMASK));
        /* conditional flag-setting ops: flags change only if executed */
        u32 r = 0;
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\tcmpne %[o], #2\n\tmrs %[f], APSR"
                         : [f] "=&r"(f) : [o] "r"(one), [fi] "r"(fin) : "cc");
        printf(" cmpne=%s", fl(f & FMASK));
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\tmov %[r], #5\n\taddges %[r], %[r], #0x7ffffffe\n\tmrs %[f], APSR"
                         : [r] "=&r"(r), [f] "=&r"(f) : [fi] "r"(fin) : "cc");
        printf(" addges=%08x/%s", r, fl(f & FMASK));
        __asm__ volatile("msr APSR_nzcvq, %[fi]\n\tmov %[r], #3\n\tsubhis %[r], %[r], #3\n\tmrs %[f], APSR"
                         : [r] "=&r"(r), [f] "=&r"(f) : [fi] "r"(fin) : "cc");
        printf(" subhis=%08x/%s\n", r, fl(f & FMASK));
    }
}

/* ---- multiplies ---- */
#define Q3(insn, R, A, B, C, Q) \
    __asm__ volatile("msr APSR_nzcvq, %[z]\n\t" insn " %[r], %[a], %[b], %[c]\n\tmrs %[q], APSR" \
        : [r] "=&r"(R), [q] "=&r"(Q) : [a] "r"(A), [b] "r"(B), [c] "r"(C), [z] "r"(0) : "cc"); \
    Q = (Q & FQ) ? 1 : 0
#define R2(insn, R, A, B) __asm__ volatile(insn " %0, %1, %2" : "=r"(R) : "r"(A), "r"(B))
#define R3(insn, R, A, B, C) __asm__ volatile(insn " %0, %1, %2, %3" : "=r"(R) : "r"(A), "r"(B), "r"(C))
#define L2(insn, LO, HI, A, B) __asm__ volatile(insn " %0, %1, %2, %3" : "+&r"(LO), "+&r"(HI) : "r"(A), "r"(B))
#define LF(insn, LO, HI, F, A, B, FIN) \
    __asm__ volatile("msr APSR_nzcvq, %[fi]\n\t" insn " %[lo], %[hi], %[a], %[b]\n\tmrs %[f], APSR" \
        : [lo] "+&r"(LO), [hi] "+&r"(HI), [f] "=&r"(F) : [a] "r"(A), [b] "r"(B), [fi] "r"(FIN) : "cc"); \
    F &= FMASK

static void mul_one(u32 a, u32 b, u32 c, u32 d, int print)
{
    u32 r[48], q[8], f[4], n = 0, lo, hi;
    R2("mul", r[n], a, b); n++;
    R3("mla", r[n], a, b, c); n++;
    R3("mls", r[n], a, b, c); n++;
    FOP("muls %[r], %[a], %[b]", r[n], f[0], a, b, FC | FV); f[0] &= FMASK; n++;
    lo = 0; hi = 0; L2("umull", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    lo = 0; hi = 0; L2("smull", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    lo = c; hi = d; L2("umlal", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    lo = c; hi = d; L2("smlal", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    lo = c; hi = d; L2("umaal", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    lo = 0; hi = 0; LF("smulls", lo, hi, f[1], a, b, FC | FV); r[n++] = lo; r[n++] = hi;
    lo = c; hi = d; LF("umlals", lo, hi, f[2], a, b, 0); r[n++] = lo; r[n++] = hi;
    R2("smulbb", r[n], a, b); n++; R2("smulbt", r[n], a, b); n++;
    R2("smultb", r[n], a, b); n++; R2("smultt", r[n], a, b); n++;
    R2("smulwb", r[n], a, b); n++; R2("smulwt", r[n], a, b); n++;
    Q3("smlabb", r[n], a, b, c, q[0]); n++; Q3("smlabt", r[n], a, b, c, q[1]); n++;
    Q3("smlatb", r[n], a, b, c, q[2]); n++; Q3("smlatt", r[n], a, b, c, q[3]); n++;
    Q3("smlawb", r[n], a, b, c, q[4]); n++; Q3("smlawt", r[n], a, b, c, q[5]); n++;
    lo = c; hi = d; L2("smlalbb", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    lo = c; hi = d; L2("smlaltt", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    R2("smmul", r[n], a, b); n++; R2("smmulr", r[n], a, b); n++;
    R3("smmla", r[n], a, b, c); n++; R3("smmlar", r[n], a, b, c); n++;
    R3("smmls", r[n], a, b, c); n++; R3("smmlsr", r[n], a, b, c); n++;
    R2("smuad", r[n], a, b); n++; R2("smusd", r[n], a, b); n++;
    Q3("smlad", r[n], a, b, c, q[6]); n++; Q3("smlsdx", r[n], a, b, c, q[7]); n++;
    lo = c; hi = d; L2("smlald", lo, hi, a, b); r[n++] = lo; r[n++] = hi;
    for (u32 i = 0; i < n; i++) mix(r[i]);
    for (int i = 0; i < 8; i++) mix(q[i]);
    for (int i = 0; i < 3; i++) mix(f[i]);
    if (!print) return;
    printf("mul %08x*%08x acc %08x:%08x\n", a, b, d, c);
    printf("  mul %08x mla %08x mls %08x muls %08x %s\n", r[0], r[1], r[2], r[3], fl(f[0]));
    printf("  umull %08x:%08x smull %08x:%08x umlal %08x:%08x smlal %08x:%08x umaal %08x:%08x\n",
           r[5], r[4], r[7], r[6], r[9], r[8], r[11], r[10], r[13], r[12]);
    printf("  smulls %08x:%08x %s umlals %08x:%08x %s\n", r[15], r[14], fl(f[1]), r[17], r[16], fl(f[2]));
    printf("  smulbb %08x bt %08x tb %08x tt %08x wb %08x wt %08x\n", r[18], r[19], r[20], r[21], r[22], r[23]);
    printf("  smlabb %08x/%u bt %08x/%u tb %08x/%u tt %08x/%u wb %08x/%u wt %08x/%u\n",
           r[24], q[0], r[25], q[1], r[26], q[2], r[27], q[3], r[28], q[4], r[29], q[5]);
    printf("  smlalbb %08x:%08x smlaltt %08x:%08x\n", r[31], r[30], r[33], r[32]);
    printf("  smmul %08x r %08x smmla %08x r %08x smmls %08x r %08x\n", r[34], r[35], r[36], r[37], r[38], r[39]);
    printf("  smuad %08x smusd %08x smlad %08x/%u smlsdx %08x/%u smlald %08x:%08x\n",
           r[40], r[41], r[42], q[6], r[43], q[7], r[45], r[44]);
}

static void mul_section(void)
{
    static const u32 v[][4] = {
        {0, 0, 0, 0}, {1, 0xffffffffu, 0x7fffffffu, 0},
        {0x7fffffffu, 0x7fffffffu, 0x80000000u, 0xffffffffu},
        {0x80000000u, 0x80000000u, 0x7fffffffu, 0x7fffffffu},
        {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
        {0x12345678u, 0x9abcdef0u, 0x13579bdfu, 0x2468ace0u},
        {0x00018000u, 0x80007fffu, 0x7fffff00u, 0x00000001u},
        {0x80008000u, 0x80008000u, 0x7fffffffu, 0x80000000u},
        {0x7fff7fffu, 0x80017fffu, 0x00000000u, 0x00000000u}};
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) mul_one(v[i][0], v[i][1], v[i][2], v[i][3], 1);
}

static u32 sdiv_(u32 a, u32 b) { u32 r; __asm__ volatile(".arch_extension idiv\n\tsdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static u32 udiv_(u32 a, u32 b) { u32 r; __asm__ volatile(".arch_extension idiv\n\tudiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }

static void misc_one(u32 a, u32 *o)
{
    __asm__ volatile("clz %0, %1" : "=r"(o[0]) : "r"(a));
    __asm__ volatile("rev %0, %1" : "=r"(o[1]) : "r"(a));
    __asm__ volatile("rev16 %0, %1" : "=r"(o[2]) : "r"(a));
    __asm__ volatile("revsh %0, %1" : "=r"(o[3]) : "r"(a));
    __asm__ volatile("rbit %0, %1" : "=r"(o[4]) : "r"(a));
}

#define E4(insn) \
    __asm__ volatile(insn " %0, %1" : "=r"(o[n]) : "r"(a)); n++; \
    __asm__ volatile(insn " %0, %1, ror #8" : "=r"(o[n]) : "r"(a)); n++; \
    __asm__ volatile(insn " %0, %1, ror #16" : "=r"(o[n]) : "r"(a)); n++; \
    __asm__ volatile(insn " %0, %1, ror #24" : "=r"(o[n]) : "r"(a)); n++;
#define EA4(insn) \
    __asm__ volatile(insn " %0, %1, %2" : "=r"(o[n]) : "r"(c), "r"(a)); n++; \
    __asm__ volatile(insn " %0, %1, %2, ror #8" : "=r"(o[n]) : "r"(c), "r"(a)); n++; \
    __asm__ volatile(insn " %0, %1, %2, ror #16" : "=r"(o[n]) : "r"(c), "r"(a)); n++; \
    __asm__ volatile(insn " %0, %1, %2, ror #24" : "=r"(o[n]) : "r"(c), "r"(a)); n++;
static const char *extn[] = {"uxtb", "uxth", "sxtb", "sxth", "uxtb16", "sxtb16",
                             "uxtab", "uxtah", "sxtab", "sxtah", "uxtab16", "sxtab16"};
static void ext_one(u32 a, u32 c, u32 *o)
{
    int n = 0;
    E4("uxtb") E4("uxth") E4("sxtb") E4("sxth") E4("uxtb16") E4("sxtb16")
    EA4("uxtab") EA4("uxtah") EA4("sxtab") EA4("sxtah") EA4("uxtab16") EA4("sxtab16")
}

/* bitfield ops over every valid (lsb, width) pair, folded into 4 checksums */
#define BF1(l, w) if ((l) + (w) <= 32) { u32 r; \
    __asm__ volatile("ubfx %0, %1, #%c2, #%c3" : "=r"(r) : "r"(x), "i"(l), "i"(w)); c[0] = (c[0] ^ r) * 0x01000193u; \
    __asm__ volatile("sbfx %0, %1, #%c2, #%c3" : "=r"(r) : "r"(x), "i"(l), "i"(w)); c[1] = (c[1] ^ r) * 0x01000193u; \
    r = y; __asm__ volatile("bfi %0, %1, #%c2, #%c3" : "+r"(r) : "r"(x), "i"(l), "i"(w)); c[2] = (c[2] ^ r) * 0x01000193u; \
    r = y; __asm__ volatile("bfc %0, #%c1, #%c2" : "+r"(r) : "i"(l), "i"(w)); c[3] = (c[3] ^ r) * 0x01000193u; }
#define BF8(l, w) BF1(l, w) BF1(l, w + 1) BF1(l, w + 2) BF1(l, w + 3) BF1(l, w + 4) BF1(l, w + 5) BF1(l, w + 6) BF1(l, w + 7)
#define BFL(l) BF8(l, 1) BF8(l, 9) BF8(l, 17) BF8(l, 25)
#define BFL8(l) BFL(l) BFL(l + 1) BFL(l + 2) BFL(l + 3) BFL(l + 4) BFL(l + 5) BFL(l + 6) BFL(l + 7)
static void bitfield_all(u32 x, u32 y, u32 *c)
{
    c[0] = c[1] = c[2] = c[3] = 0x811c9dc5u;
    BFL8(0) BFL8(8) BFL8(16) BFL8(24)
}

#define SAT(insn, sh, R, Q, A) \
    __asm__ volatile("msr APSR_nzcvq, %[z]\n\t" insn " %[r], " sh "\n\tmrs %[q], APSR" \
        : [r] "=&r"(R), [q] "=&r"(Q) : [a] "r"(A), [z] "r"(0) : "cc"); Q = (Q & FQ) ? 1 : 0
static void sat_one(u32 a, u32 *o)
{
    int n = 0;
    SAT("ssat", "#1, %[a]", o[n], o[n + 1], a); n += 2;
    SAT("ssat", "#8, %[a]", o[n], o[n + 1], a); n += 2;
    SAT("ssat", "#16, %[a], asr #4", o[n], o[n + 1], a); n += 2;
    SAT("ssat", "#32, %[a], lsl #1", o[n], o[n + 1], a); n += 2;
    SAT("usat", "#0, %[a]", o[n], o[n + 1], a); n += 2;
    SAT("usat", "#8, %[a]", o[n], o[n + 1], a); n += 2;
    SAT("usat", "#16, %[a], lsl #4", o[n], o[n + 1], a); n += 2;
    SAT("usat", "#31, %[a], asr #32", o[n], o[n + 1], a); n += 2;
    SAT("ssat16", "#8, %[a]", o[n], o[n + 1], a); n += 2;
    SAT("usat16", "#4, %[a]", o[n], o[n + 1], a); n += 2;
    SAT("qadd", "%[a], %[a]", o[n], o[n + 1], a); n += 2;
    SAT("qdsub", "%[a], %[a]", o[n], o[n + 1], a); n += 2;
}

static void pkh_one(u32 a, u32 b, u32 *o)
{
    __asm__ volatile("pkhbt %0, %1, %2" : "=r"(o[0]) : "r"(a), "r"(b));
    __asm__ volatile("pkhbt %0, %1, %2, lsl #1" : "=r"(o[1]) : "r"(a), "r"(b));
    __asm__ volatile("pkhbt %0, %1, %2, lsl #16" : "=r"(o[2]) : "r"(a), "r"(b));
    __asm__ volatile("pkhbt %0, %1, %2, lsl #31" : "=r"(o[3]) : "r"(a), "r"(b));
    __asm__ volatile("pkhtb %0, %1, %2, asr #1" : "=r"(o[4]) : "r"(a), "r"(b));
    __asm__ volatile("pkhtb %0, %1, %2, asr #16" : "=r"(o[5]) : "r"(a), "r"(b));
    __asm__ volatile("pkhtb %0, %1, %2, asr #32" : "=r"(o[6]) : "r"(a), "r"(b));
}

/* parallel add/sub (GE flags), saturating, absolute-difference and SEL */
#define GEOP(insn) { u32 r, f; \
    __asm__ volatile("msr APSR_nzcvqg, %[z]\n\t" insn " %[r], %[a], %[b]\n\tmrs %[f], APSR" \
        : [r] "=&r"(r), [f] "=&r"(f) : [a] "r"(a), [b] "r"(b), [z] "r"(0) : "cc"); \
    o[n++] = r; o[n++] = f & GMASK; }
static const char *simdn[] = {"uadd8", "usub8", "sadd8", "ssub8", "uadd16", "usub16", "sadd16",
    "ssub16", "uasx", "usax", "sasx", "ssax", "qadd8", "qsub8", "qadd16", "qasx", "uqadd8",
    "uqsub16", "shadd8", "uhadd16", "shsax", "uhsub8", "qadd", "qsub", "qdadd", "usad8"};
#define NSIMD 26
static void simd_one(u32 a, u32 b, u32 *o)
{
    int n = 0;
    GEOP("uadd8") GEOP("usub8") GEOP("sadd8") GEOP("ssub8") GEOP("uadd16") GEOP("usub16")
    GEOP("sadd16") GEOP("ssub16") GEOP("uasx") GEOP("usax") GEOP("sasx") GEOP("ssax")
    GEOP("qadd8") GEOP("qsub8") GEOP("qadd16") GEOP("qasx") GEOP("uqadd8") GEOP("uqsub16")
    GEOP("shadd8") GEOP("uhadd16") GEOP("shsax") GEOP("uhsub8") GEOP("qadd") GEOP("qsub")
    GEOP("qdadd") GEOP("usad8")
    u32 r, g = (a ^ b) & 0x000f0000u; /* sel with GE taken from the operands */
    __asm__ volatile("msr APSR_nzcvqg, %[g]\n\tsel %[r], %[a], %[b]"
                     : [r] "=&r"(r) : [a] "r"(a), [b] "r"(b), [g] "r"(g) : "cc");
    o[n++] = r;
    __asm__ volatile("usada8 %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(0x100u));
    o[n++] = r;
}

static void bits_section(void)
{
    static const u32 v[] = {0, 1, 0x80000000u, 0xffffffffu, 0x12345678u, 0x0000ff80u, 0x00008001u, 0x7f80807fu};
    u32 o[64];
    for (int i = 0; i < 8; i++) {
        misc_one(v[i], o);
        printf("bits %08x: clz %u rev %08x rev16 %08x revsh %08x rbit %08x\n", v[i], o[0], o[1], o[2], o[3], o[4]);
    }
    static const u32 d[][2] = {{7, 2}, {0xfffffff9u, 2}, {7, 0xfffffffeu}, {0x80000000u, 0xffffffffu},
        {0x80000000u, 1}, {12345, 0}, {0, 0}, {0xffffffffu, 0xffffffffu}, {100, 7}, {0x7fffffffu, 0x80000000u}};
    for (int i = 0; i < 10; i++)
        printf("div %08x/%08x: sdiv %08x udiv %08x\n", d[i][0], d[i][1], sdiv_(d[i][0], d[i][1]), udiv_(d[i][0], d[i][1]));
    static const u32 e[] = {0x80ff7f81u, 0x12345678u, 0xfedcba98u};
    for (int i = 0; i < 3; i++) {
        ext_one(e[i], 0x7fff8000u, o);
        for (int k = 0; k < 12; k++)
            printf("%-7s %08x: %08x %08x %08x %08x\n", extn[k], e[i], o[4 * k], o[4 * k + 1], o[4 * k + 2], o[4 * k + 3]);
    }
    u32 r;
    __asm__ volatile("ubfx %0, %1, #4, #8" : "=r"(r) : "r"(0xdeadbeefu)); printf("ubfx #4,#8 %08x\n", r);
    __asm__ volatile("sbfx %0, %1, #28, #4" : "=r"(r) : "r"(0xdeadbeefu)); printf("sbfx #28,#4 %08x\n", r);
    __asm__ volatile("sbfx %0, %1, #0, #32" : "=r"(r) : "r"(0xdeadbeefu)); printf("sbfx #0,#32 %08x\n", r);
    r = 0x12345678u; __asm__ volatile("bfi %0, %1, #8, #12" : "+r"(r) : "r"(0xfffffabcu)); printf("bfi #8,#12 %08x\n", r);
    r = 0xffffffffu; __asm__ volatile("bfc %0, #31, #1" : "+r"(r)); printf("bfc #31,#1 %08x\n", r);
    static const u32 bx[][2] = {{0xdeadbeefu, 0x12345678u}, {0x80000001u, 0xffffffffu}, {0x7ffffffeu, 0}, {0x5a5a5a5au, 0xa5a5a5a5u}};
    for (int i = 0; i < 4; i++) {
        bitfield_all(bx[i][0], bx[i][1], o);
        printf("bitfield all pairs x=%08x y=%08x: ubfx %08x sbfx %08x bfi %08x bfc %08x\n", bx[i][0], bx[i][1], o[0], o[1], o[2], o[3]);
    }
    __asm__ volatile("movw %0, #0xbeef\n\tmovt %0, #0xdead" : "=r"(r)); printf("movw/movt %08x\n", r);
    r = 0xffffffffu; __asm__ volatile("movw %0, #1" : "+r"(r)); printf("movw #1 over ffffffff %08x\n", r);
    r = 0x12345678u; __asm__ volatile("movt %0, #0xabcd" : "+r"(r)); printf("movt #0xabcd over 12345678 %08x\n", r);
    __asm__ volatile("movw %0, #0\n\tmovt %0, #0xffff" : "=r"(r)); printf("movw #0 movt #0xffff %08x\n", r);
    static const u32 sv[] = {0, 1, 0xffffffffu, 0x7fffffffu, 0x80000000u, 127, 128, 0xffffff80u, 0xffffff7fu, 0xffff, 0x10000, 0x7fff8001u};
    for (int i = 0; i < 12; i++) {
        sat_one(sv[i], o);
        printf("sat %08x:", sv[i]);
        for (int k = 0; k < 24; k += 2) printf(" %08x%s", o[k], o[k + 1] ? "Q" : "");
        printf("\n");
    }
    static const u32 pv[][2] = {{0x11112222u, 0x33334444u}, {0x80008000u, 0x7fff7fffu}, {0xffffffffu, 0x80000001u}};
    for (int i = 0; i < 3; i++) {
        pkh_one(pv[i][0], pv[i][1], o);
        printf("pkh %08x %08x: bt %08x %08x %08x %08x tb %08x %08x %08x\n", pv[i][0], pv[i][1], o[0], o[1], o[2], o[3], o[4], o[5], o[6]);
    }
    static const u32 mv[] = {0, 0xf8000000u, 0x50000000u, 0xa8000000u, 0xffffffffu, 0x08000000u};
    for (int i = 0; i < 6; i++) {
        u32 a, b, c;
        __asm__ volatile("msr APSR_nzcvqg, %[z]\n\tmsr APSR_nzcvq, %[v]\n\tmrs %[r], APSR" : [r] "=&r"(a) : [v] "r"(mv[i]), [z] "r"(0) : "cc");
        __asm__ volatile("msr APSR_nzcvqg, %[z]\n\tmsr APSR_g, %[v]\n\tmrs %[r], APSR" : [r] "=&r"(b) : [v] "r"(mv[i] >> 12 | mv[i]), [z] "r"(0) : "cc");
        __asm__ volatile("msr APSR_nzcvqg, %[v]\n\tmrs %[r], APSR" : [r] "=&r"(c) : [v] "r"(mv[i] | 0x000a0000u) : "cc");
        printf("msr %08x: nzcvq %08x g %08x nzcvqg %08x\n", mv[i], a & GMASK, b & GMASK, c & GMASK);
    }
    static const u32 pa[][2] = {{0x7f80ff01u, 0x01807f01u}, {0x80007fffu, 0x7fff8000u}, {0x12345678u, 0xfedcba98u}};
    for (int i = 0; i < 3; i++) {
        simd_one(pa[i][0], pa[i][1], o);
        printf("simd %08x %08x:\n", pa[i][0], pa[i][1]);
        for (int k = 0; k < NSIMD; k++) printf("  %-7s %08x ge/q %08x\n", simdn[k], o[2 * k], o[2 * k + 1]);
        printf("  sel     %08x usada8 %08x\n", o[2 * NSIMD], o[2 * NSIMD + 1]);
    }
}

/* deterministic random table: checksums per instruction class */
#define NR 384
static u32 TA[NR], TB[NR], TF[NR];
static void random_section(void)
{
    static const u32 cv[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu, 31, 32, 33, 256};
    u32 o[64];
    for (int i = 0; i < NR; i++) {
        TA[i] = (i % 7 == 3) ? cv[i % 9] : rnd();
        TB[i] = (i % 5 == 1) ? cv[(i / 5) % 9] : (i % 11 == 2) ? (rnd() & 0x1ff) : rnd();
        TF[i] = rnd() & FMASK & ~FQ;
    }
    for (int k = 0; k < NALU; k++) {
        ck = 0;
        for (int i = 0; i < NR; i++) {
            u32 f, r = alus[k].f(TA[i], TB[i], TF[i], &f);
            mix(r); mix(f);
            mismatches += !ref_ok(k, TA[i], TB[i], TF[i], r, f);
        }
        printf("random %-14s ck %08x\n", alus[k].n, ck);
    }
    for (int k = 0; k < 12; k++) {
        ck = 0;
        for (int i = 0; i < NR; i++) { shis[k].f(TA[i], TB[i], TF[i], o); for (int j = 0; j < 8; j++) mix(o[j]); }
        printf("random shift %-7s ck %08x\n", shis[k].n, ck);
    }
    for (int k = 0; k < 4; k++) {
        ck = 0;
        for (int i = 0; i < NR; i++) { shrs[k].f(TA[i], TB[i], TA[NR - 1 - i], TF[i], o); for (int j = 0; j < 6; j++) mix(o[j]); }
        printf("random shift %s reg ck %08x\n", shrs[k].n, ck);
    }
    ck = 0;
    for (int i = 0; i < NR; i++) mul_one(TA[i], TB[i], TA[NR - 1 - i], TB[NR - 1 - i], 0);
    printf("random multiply     ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < NR; i++) { mix(sdiv_(TA[i], TB[i] >> (i & 31))); mix(udiv_(TA[i], TB[i] >> (i & 31))); }
    printf("random divide       ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < NR; i++) { misc_one(TA[i], o); for (int j = 0; j < 5; j++) mix(o[j]); }
    printf("random clz/rev/rbit ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < NR; i++) { ext_one(TA[i], TB[i], o); for (int j = 0; j < 48; j++) mix(o[j]); }
    printf("random extend       ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < NR; i++) { sat_one(TA[i], o); for (int j = 0; j < 24; j++) mix(o[j]); }
    printf("random saturate     ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < NR; i++) { pkh_one(TA[i], TB[i], o); for (int j = 0; j < 7; j++) mix(o[j]); }
    printf("random pkh          ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < 32; i++) { bitfield_all(TA[i], TB[i], o); for (int j = 0; j < 4; j++) mix(o[j]); }
    printf("random bitfield     ck %08x\n", ck);
    ck = 0;
    for (int i = 0; i < NR; i++) { simd_one(TA[i], TB[i], o); for (int j = 0; j < 2 * NSIMD + 2; j++) mix(o[j]); }
    printf("random simd         ck %08x\n", ck);
}

int main(void)
{
    alu_section();
    shifter_section();
    cond_section();
    mul_section();
    bits_section();
    random_section();
    printf("selfcheck mismatches %d\n", mismatches);
    return mismatches ? 1 : 0;
}
