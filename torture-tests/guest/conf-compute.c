/* conf-compute: integer compute kernels with known answers.
 * Sieve of Eratosthenes, CRC32 (table and bitwise), a stack-machine bytecode
 * interpreter dispatched both through a dense switch (noinline, so gcc emits
 * a jump table: addls pc, pc, rN, lsl #2) and through computed goto (indirect
 * branches via mov pc, rN), function pointer dispatch, recursion (fib,
 * ackermann, hanoi), an open-addressing hash table and four sorting
 * algorithms.  Every section prints a result and checksum; known values are
 * self-checked.  Exit 0, or 1 if a check fails. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t u32;
typedef uint64_t u64;

static u32 ck = 0x811c9dc5u;
static void mix(u32 v) { ck = (ck ^ v) * 0x01000193u; ck ^= ck >> 13; }
static u32 rs = 0x9e3779b9u;
static u32 rnd(void) { u32 x = rs; x ^= x << 13; x ^= x >> 17; x ^= x << 5; return rs = x; }
static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); fails++; } } while (0)

/* ---- sieve ---- */
#define SIEVE_N 1000000
static unsigned char comp[SIEVE_N + 1];
static void sieve_section(void)
{
    u32 count = 0, sum = 0, last = 0;
    for (u32 i = 2; i * i <= SIEVE_N; i++)
        if (!comp[i])
            for (u32 j = i * i; j <= SIEVE_N; j += i) comp[j] = 1;
    for (u32 i = 2; i <= SIEVE_N; i++)
        if (!comp[i]) { count++; sum += i; last = i; }
    printf("sieve %u: %u primes, sum mod 2^32 %08x, largest %u\n", SIEVE_N, count, sum, last);
    CHECK(count == 78498 && last == 999983);
    mix(count); mix(sum);
}

/* ---- CRC32 ---- */
static u32 crc_table[256];
static u32 crc32_tab(const unsigned char *p, u32 n, u32 crc)
{
    crc = ~crc;
    while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
static u32 crc32_bit(const unsigned char *p, u32 n)
{
    u32 crc = ~0u;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}
static unsigned char data[65536];
static void crc_section(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    u32 a = crc32_tab((const unsigned char *)"123456789", 9, 0);
    u32 b = crc32_bit((const unsigned char *)"123456789", 9);
    printf("crc32('123456789') table %08x bitwise %08x\n", a, b);
    CHECK(a == 0xcbf43926u && b == a);
    for (u32 i = 0; i < sizeof data; i++) data[i] = (unsigned char)rnd();
    u32 c = 0;
    for (int r = 0; r < 4; r++) c = crc32_tab(data, sizeof data, c);
    u32 d = crc32_bit(data, 4096);
    u32 e = crc32_tab(data, 4096, 0);
    printf("crc32 4x64KiB chained %08x, 4KiB bitwise %08x table %08x\n", c, d, e);
    CHECK(d == e);
    mix(c); mix(d);
}

/* ---- bytecode interpreter ---- */
enum { OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_MODU,
       OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_DUP, OP_SWAP, OP_DROP, OP_JMP, OP_JZ,
       OP_JNZ, OP_LT, OP_EQ, OP_INC, OP_DEC, OP_CALL, OP_RET, OP_NEG, OP_NOT, NOPS };
static const char *const opname[NOPS] = {"halt", "push", "load", "store", "add", "sub", "mul",
    "divu", "modu", "and", "or", "xor", "shl", "shr", "dup", "swap", "drop", "jmp", "jz",
    "jnz", "lt", "eq", "inc", "dec", "call", "ret", "neg", "not"};

/* program: for i in [0, n): acc = (acc*31 + (i*i mod 1009)) ^ (i >> 3);
 *          then calls a subroutine computing gcd(acc & 0xffff, 0x1248) */
static const int prog[] = {
    /*  0 */ OP_PUSH, 0, OP_STORE, 0,            /* i = 0 */
    /*  4 */ OP_PUSH, 7, OP_STORE, 1,            /* acc = 7 */
    /*  8 */ OP_LOAD, 0, OP_LOAD, 2, OP_LT, OP_JZ, 46, /* while i < n */
    /* 15 */ OP_LOAD, 1, OP_PUSH, 31, OP_MUL,
    /* 20 */ OP_LOAD, 0, OP_DUP, OP_MUL, OP_PUSH, 1009, OP_MODU, OP_ADD,
    /* 28 */ OP_LOAD, 0, OP_PUSH, 3, OP_SHR, OP_XOR, OP_STORE, 1,
    /* 36 */ OP_LOAD, 0, OP_INC, OP_STORE, 0, OP_JMP, 8, OP_HALT, OP_HALT, OP_HALT,
    /* 46 */ OP_LOAD, 1, OP_PUSH, 0xffff, OP_AND, OP_PUSH, 0x1248, OP_CALL, 58, OP_STORE, 3,
    /* 57 */ OP_HALT,
    /* gcd(a, b) subroutine: stack [a b] -> [g] */
    /* 58 */ OP_DUP, OP_JZ, 73,                  /* if b == 0 goto done */
    /* 61 */ OP_DUP, OP_STORE, 5,                /* mem5 = b */
    /* 64 */ OP_MODU,                            /* [a%b] */
    /* 65 */ OP_LOAD, 5, OP_SWAP,                /* [b a%b] */
    /* 68 */ OP_JMP, 58, OP_HALT, OP_HALT, OP_HALT,
    /* 73 */ OP_DROP, OP_RET,                    /* [a] */
};
static const int *const code = prog;

static u32 op_hist[NOPS];
static __attribute__((noinline)) u32 run_switch(u32 n, u32 *mem)
{
    u32 st[64], rst[16];
    int sp = 0, rsp = 0, pc = 0;
    mem[2] = n;
    for (;;) {
        int op = code[pc++];
        op_hist[op]++;
        switch (op) {
        case OP_HALT: return mem[1];
        case OP_PUSH: st[sp++] = (u32)code[pc++]; break;
        case OP_LOAD: st[sp++] = mem[code[pc++]]; break;
        case OP_STORE: mem[code[pc++]] = st[--sp]; break;
        case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
        case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
        case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
        case OP_DIVU: sp--; st[sp - 1] /= st[sp]; break;
        case OP_MODU: sp--; st[sp - 1] %= st[sp]; break;
        case OP_AND: sp--; st[sp - 1] &= st[sp]; break;
        case OP_OR: sp--; st[sp - 1] |= st[sp]; break;
        case OP_XOR: sp--; st[sp - 1] ^= st[sp]; break;
        case OP_SHL: sp--; st[sp - 1] <<= st[sp] & 31; break;
        case OP_SHR: sp--; st[sp - 1] >>= st[sp] & 31; break;
        case OP_DUP: st[sp] = st[sp - 1]; sp++; break;
        case OP_SWAP: { u32 t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } break;
        case OP_DROP: sp--; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = st[--sp] ? pc + 1 : code[pc]; break;
        case OP_JNZ: pc = st[--sp] ? code[pc] : pc + 1; break;
        case OP_LT: sp--; st[sp - 1] = st[sp - 1] < st[sp]; break;
        case OP_EQ: sp--; st[sp - 1] = st[sp - 1] == st[sp]; break;
        case OP_INC: st[sp - 1]++; break;
        case OP_DEC: st[sp - 1]--; break;
        case OP_CALL: rst[rsp++] = (u32)pc + 1; pc = code[pc]; break;
        case OP_RET: pc = (int)rst[--rsp]; break;
        case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
        case OP_NOT: st[sp - 1] = ~st[sp - 1]; break;
        default: return 0xdeadu;
        }
    }
}

static u32 run_goto(u32 n, u32 *mem)
{
    static void *const tab[NOPS] = {&&l_halt, &&l_push, &&l_load, &&l_store, &&l_add, &&l_sub,
        &&l_mul, &&l_divu, &&l_modu, &&l_and, &&l_or, &&l_xor, &&l_shl, &&l_shr, &&l_dup,
        &&l_swap, &&l_drop, &&l_jmp, &&l_jz, &&l_jnz, &&l_lt, &&l_eq, &&l_inc, &&l_dec,
        &&l_call, &&l_ret, &&l_neg, &&l_not};
    u32 st[64], rst[16], t;
    int sp = 0, rsp = 0, pc = 0;
    mem[2] = n;
#define NEXT goto *tab[code[pc++]]
    NEXT;
l_halt: return mem[1];
l_push: st[sp++] = (u32)code[pc++]; NEXT;
l_load: st[sp++] = mem[code[pc++]]; NEXT;
l_store: mem[code[pc++]] = st[--sp]; NEXT;
l_add: sp--; st[sp - 1] += st[sp]; NEXT;
l_sub: sp--; st[sp - 1] -= st[sp]; NEXT;
l_mul: sp--; st[sp - 1] *= st[sp]; NEXT;
l_divu: sp--; st[sp - 1] /= st[sp]; NEXT;
l_modu: sp--; st[sp - 1] %= st[sp]; NEXT;
l_and: sp--; st[sp - 1] &= st[sp]; NEXT;
l_or: sp--; st[sp - 1] |= st[sp]; NEXT;
l_xor: sp--; st[sp - 1] ^= st[sp]; NEXT;
l_shl: sp--; st[sp - 1] <<= st[sp] & 31; NEXT;
l_shr: sp--; st[sp - 1] >>= st[sp] & 31; NEXT;
l_dup: st[sp] = st[sp - 1]; sp++; NEXT;
l_swap: t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; NEXT;
l_drop: sp--; NEXT;
l_jmp: pc = code[pc]; NEXT;
l_jz: pc = st[--sp] ? pc + 1 : code[pc]; NEXT;
l_jnz: pc = st[--sp] ? code[pc] : pc + 1; NEXT;
l_lt: sp--; st[sp - 1] = st[sp - 1] < st[sp]; NEXT;
l_eq: sp--; st[sp - 1] = st[sp - 1] == st[sp]; NEXT;
l_inc: st[sp - 1]++; NEXT;
l_dec: st[sp - 1]--; NEXT;
l_call: rst[rsp++] = (u32)pc + 1; pc = code[pc]; NEXT;
l_ret: pc = (int)rst[--rsp]; NEXT;
l_neg: st[sp - 1] = -st[sp - 1]; NEXT;
l_not: st[sp - 1] = ~st[sp - 1]; NEXT;
#undef NEXT
}

static void interp_section(void)
{
    u32 n = 20000, acc = 7;
    for (u32 i = 0; i < n; i++) acc = (acc * 31 + (i * i) % 1009) ^ (i >> 3);
    u32 a = acc & 0xffff, b = 0x1248;
    while (b) { u32 t = a % b; a = b; b = t; }
    u32 m1[8] = {0}, m2[8] = {0};
    u32 r1 = run_switch(n, m1);
    u32 r2 = run_goto(n, m2);
    printf("interp n=%u: switch acc %08x gcd %u, goto acc %08x gcd %u, C acc %08x gcd %u\n",
           n, r1, m1[3], r2, m2[3], acc, a);
    CHECK(r1 == acc && r2 == acc && m1[3] == a && m2[3] == a);
    printf("interp opcode histogram:");
    for (int i = 0; i < NOPS; i++) if (op_hist[i]) printf(" %s=%u", opname[i], op_hist[i]);
    printf("\n");
    mix(r1); mix(m1[3]);
}

/* ---- function pointer dispatch ---- */
static u32 f_add(u32 a, u32 b) { return a + b; }
static u32 f_sub(u32 a, u32 b) { return a - b; }
static u32 f_mul(u32 a, u32 b) { return a * b; }
static u32 f_xor(u32 a, u32 b) { return a ^ b; }
static u32 f_rot(u32 a, u32 b) { b &= 31; return b ? (a << b) | (a >> (32 - b)) : a; }
static u32 f_max(u32 a, u32 b) { return a > b ? a : b; }
static u32 (*const volatile fns[8])(u32, u32) = {f_add, f_sub, f_mul, f_xor, f_rot, f_max, f_add, f_xor};
static void fnptr_section(void)
{
    u32 x = 1;
    for (u32 i = 0; i < 100000; i++) x = fns[(x ^ i) & 7](x, i * 2654435761u) + 1;
    printf("fnptr dispatch 100000 calls -> %08x\n", x);
    mix(x);
}

/* ---- recursion ---- */
static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static u32 ack_calls;
static u32 ack(u32 m, u32 n)
{
    ack_calls++;
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
static u32 hanoi_moves, hanoi_ck;
static void hanoi(int n, int from, int to, int via)
{
    if (!n) return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi_ck = hanoi_ck * 7 + (u32)(from * 3 + to);
    hanoi(n - 1, via, to, from);
}
static void recursion_section(void)
{
    u32 f = fib(24);
    u32 a1 = ack(2, 3), a2 = ack(3, 5);
    hanoi(14, 0, 2, 1);
    printf("fib(24) %u ack(2,3) %u ack(3,5) %u (calls %u) hanoi(14) moves %u ck %08x\n",
           f, a1, a2, ack_calls, hanoi_moves, hanoi_ck);
    CHECK(f == 46368 && a1 == 9 && a2 == 253 && hanoi_moves == 16383);
    mix(f); mix(ack_calls); mix(hanoi_ck);
}

/* ---- hash table (open addressing, linear probing, tombstones) ---- */
#define HT_SIZE 16384
#define EMPTY 0u
#define TOMB 1u
static u32 ht_key[HT_SIZE], ht_val[HT_SIZE];
static u32 hash(u32 k) { k ^= k >> 16; k *= 0x7feb352du; k ^= k >> 15; k *= 0x846ca68bu; return k ^ (k >> 16); }
static u32 probes;
static int ht_find(u32 k)
{
    for (u32 i = hash(k) & (HT_SIZE - 1);; i = (i + 1) & (HT_SIZE - 1)) {
        probes++;
        if (ht_key[i] == k) return (int)i;
        if (ht_key[i] == EMPTY) return -1;
    }
}
static void ht_put(u32 k, u32 v)
{
    int f = ht_find(k);
    if (f >= 0) { ht_val[f] = v; return; }
    for (u32 i = hash(k) & (HT_SIZE - 1);; i = (i + 1) & (HT_SIZE - 1))
        if (ht_key[i] == EMPTY || ht_key[i] == TOMB) { ht_key[i] = k; ht_val[i] = v; return; }
}
static void hash_section(void)
{
    u32 saved = rs;
    for (u32 i = 0; i < 10000; i++) ht_put((rnd() | 2) & 0xfffffu, i);
    rs = saved;
    u32 hits = 0, vs = 0, dels = 0;
    for (u32 i = 0; i < 10000; i++) {
        u32 k = (rnd() | 2) & 0xfffffu;
        int f = ht_find(k);
        if (f >= 0) { hits++; vs += ht_val[f]; if (i & 1) { ht_key[f] = TOMB; dels++; } }
    }
    u32 live = 0, miss = 0;
    for (u32 i = 0; i < HT_SIZE; i++) live += ht_key[i] > TOMB;
    for (u32 k = 2; k < 60000; k += 6) miss += ht_find(k) < 0;
    printf("hash: hits %u valsum %08x deleted %u live %u misses %u probes %u\n", hits, vs, dels, live, miss, probes);
    mix(hits); mix(vs); mix(live); mix(miss); mix(probes);
}

/* ---- sorting ---- */
#define NSORT 20000
static u32 s0[NSORT], s1[NSORT], s2[NSORT], s3[NSORT], tmp[NSORT];
static void qsort_r_(u32 *a, int lo, int hi)
{
    while (lo < hi) {
        u32 p = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { u32 t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { qsort_r_(a, lo, j); lo = i; }
        else { qsort_r_(a, i, hi); hi = j; }
    }
}
static void msort(u32 *a, int n)
{
    for (int w = 1; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, (size_t)n * sizeof *a);
    }
}
static void sift(u32 *a, int i, int n)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && a[l] > a[m]) m = l;
        if (l + 1 < n && a[l + 1] > a[m]) m = l + 1;
        if (m == i) return;
        u32 t = a[i]; a[i] = a[m]; a[m] = t; i = m;
    }
}
static void hsort(u32 *a, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
    for (int i = n - 1; i > 0; i--) { u32 t = a[0]; a[0] = a[i]; a[i] = t; sift(a, 0, i); }
}
static void isort(u32 *a, int n)
{
    for (int i = 1; i < n; i++) {
        u32 v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}
static void sort_section(void)
{
    for (int i = 0; i < NSORT; i++) s0[i] = s1[i] = s2[i] = rnd() % 50000;
    memcpy(s3, s0, 1500 * sizeof *s3);
    qsort_r_(s0, 0, NSORT - 1);
    msort(s1, NSORT);
    hsort(s2, NSORT);
    isort(s3, 1500);
    u32 c = 0, dup = 0;
    int ok = 1;
    for (int i = 0; i < NSORT; i++) {
        c = c * 31 + s0[i];
        ok &= s0[i] == s1[i] && s1[i] == s2[i] && (i == 0 || s0[i - 1] <= s0[i]);
        dup += i && s0[i - 1] == s0[i];
    }
    for (int i = 1; i < 1500; i++) ok &= s3[i - 1] <= s3[i];
    printf("sort %d: quick/merge/heap agree %d, ck %08x, min %u median %u max %u dups %u, insertion1500 median %u\n",
           NSORT, ok, c, s0[0], s0[NSORT / 2], s0[NSORT - 1], dup, s3[750]);
    CHECK(ok);
    mix(c); mix(dup); mix(s3[750]);
}

int main(void)
{
    sieve_section();
    crc_section();
    interp_section();
    fnptr_section();
    recursion_section();
    hash_section();
    sort_section();
    printf("checksum %08x fails %d\n", ck, fails);
    return fails ? 1 : 0;
}
