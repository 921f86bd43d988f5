/* conf-threads: POSIX threads on a multi-threaded translator.
 * 8 workers summing ranges (results through pthread_join), a mutex-protected
 * counter (4 x 20000), atomic fetch-add / CAS-loop / spinlock counters
 * (ldrex/strex under contention), a bounded condvar producer/consumer queue,
 * a pthread_barrier stencil, __thread variables (.tdata and .tbss),
 * pthread_once and pthread_key destructors.  Only schedule-independent
 * results are printed.  Exit 0, or 1 if a check fails. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>

typedef uint32_t u32;
typedef uint64_t u64;

static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); fails++; } } while (0)
static u32 ck = 0x811c9dc5u;
static void mix(u32 v) { ck = (ck ^ v) * 0x01000193u; ck ^= ck >> 13; }

static void start(pthread_t *t, int n, void *(*fn)(void *), void *args, size_t argsz)
{
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, fn, (char *)args + i * argsz)) { printf("pthread_create failed\n"); fails++; }
}

/* ---- 1: range sums returned via pthread_join ---- */
struct range { u32 lo, hi; };
static void *range_sum(void *p)
{
    const struct range *r = p;
    u32 s = 0;
    for (u32 i = r->lo; i < r->hi; i++) s += i * i ^ (i >> 3);
    return (void *)(uintptr_t)s;
}
static void join_section(void)
{
    pthread_t t[8];
    struct range r[8];
    for (int i = 0; i < 8; i++) { r[i].lo = (u32)i * 25000; r[i].hi = (u32)(i + 1) * 25000; }
    start(t, 8, range_sum, r, sizeof r[0]);
    u32 total = 0, ref = 0;
    printf("range sums:");
    for (int i = 0; i < 8; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        printf(" %08x", (u32)(uintptr_t)ret);
        total += (u32)(uintptr_t)ret;
    }
    for (u32 i = 0; i < 200000; i++) ref += i * i ^ (i >> 3);
    printf("\nrange total %08x reference %08x\n", total, ref);
    CHECK(total == ref);
    mix(total);
}

/* ---- 2/3: counters ---- */
#define ITERS 20000
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static u32 mcount;
static u64 mcount64;
static u32 acount, cascount, spin, scount;
static void *mutex_worker(void *p)
{
    u32 id = *(u32 *)p;
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&mtx);
        mcount++;
        mcount64 += id + 1;
        pthread_mutex_unlock(&mtx);
    }
    return NULL;
}
static void *atomic_worker(void *p)
{
    (void)p;
    for (int i = 0; i < ITERS; i++) {
        __atomic_fetch_add(&acount, 1, __ATOMIC_SEQ_CST);
        u32 old = __atomic_load_n(&cascount, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(&cascount, &old, old + 3, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
        while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE)) {
            while (__atomic_load_n(&spin, __ATOMIC_RELAXED)) sched_yield(); /* friendly to 1 host CPU */
        }
        scount += 2; /* plain access, protected by the spinlock */
        __atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
    }
    return NULL;
}
static void counter_section(void)
{
    pthread_t t[4];
    u32 id[4] = {0, 1, 2, 3};
    start(t, 4, mutex_worker, id, sizeof id[0]);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("mutex counter %u (want %u) weighted %llu (want %llu)\n", mcount, 4 * ITERS,
           (unsigned long long)mcount64, 10ULL * ITERS);
    CHECK(mcount == 4 * ITERS && mcount64 == 10ULL * ITERS);
    start(t, 4, atomic_worker, id, sizeof id[0]);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("atomic fetch_add %u cas %u spinlock %u (want %u %u %u)\n", acount, cascount, scount,
           4 * ITERS, 12 * ITERS, 8 * ITERS);
    CHECK(acount == 4 * ITERS && cascount == 12 * ITERS && scount == 8 * ITERS);
    mix(mcount); mix(acount); mix(cascount); mix(scount);
}

/* ---- 4: bounded queue with condition variables ---- */
#define QCAP 8
#define PER_PRODUCER 1500
#define NPROD 3
#define NCONS 2
static u32 q[QCAP], qhead, qtail, qlen;
static pthread_mutex_t qm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static void put(u32 v)
{
    pthread_mutex_lock(&qm);
    while (qlen == QCAP) pthread_cond_wait(&not_full, &qm);
    q[qtail] = v; qtail = (qtail + 1) % QCAP; qlen++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&qm);
}
static u32 get(void)
{
    pthread_mutex_lock(&qm);
    while (qlen == 0) pthread_cond_wait(&not_empty, &qm);
    u32 v = q[qhead]; qhead = (qhead + 1) % QCAP; qlen--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&qm);
    return v;
}
static void *producer(void *p)
{
    u32 id = *(u32 *)p;
    for (u32 i = 1; i <= PER_PRODUCER; i++) put(id << 16 | i);
    return NULL;
}
struct cons { u32 count, sum, order_ok; };
static void *consumer(void *p)
{
    struct cons *c = p;
    u32 last[NPROD] = {0};
    c->order_ok = 1;
    for (;;) {
        u32 v = get();
        if (v == 0xffffffffu) break;
        u32 pid = v >> 16, seq = v & 0xffff;
        if (pid >= NPROD || seq <= last[pid]) c->order_ok = 0;
        else last[pid] = seq;
        c->count++;
        c->sum += v;
    }
    return NULL;
}
static void queue_section(void)
{
    pthread_t pt[NPROD], ct[NCONS];
    u32 id[NPROD] = {0, 1, 2};
    struct cons cs[NCONS];
    memset(cs, 0, sizeof cs);
    start(ct, NCONS, consumer, cs, sizeof cs[0]);
    start(pt, NPROD, producer, id, sizeof id[0]);
    for (int i = 0; i < NPROD; i++) pthread_join(pt[i], NULL);
    for (int i = 0; i < NCONS; i++) put(0xffffffffu);
    for (int i = 0; i < NCONS; i++) pthread_join(ct[i], NULL);
    u32 count = 0, sum = 0, ok = 1, want = 0;
    for (int i = 0; i < NCONS; i++) { count += cs[i].count; sum += cs[i].sum; ok &= cs[i].order_ok; }
    for (u32 p = 0; p < NPROD; p++)
        for (u32 i = 1; i <= PER_PRODUCER; i++) want += p << 16 | i;
    printf("queue: consumed %u (want %u) sum %08x (want %08x) per-producer order kept %u, left %u\n",
           count, NPROD * PER_PRODUCER, sum, want, ok, qlen);
    CHECK(count == NPROD * PER_PRODUCER && sum == want && ok && qlen == 0);
    mix(count); mix(sum);
}

/* ---- 5: barrier stencil ---- */
#define NB 6
#define PHASES 12
static pthread_barrier_t bar;
static u32 grid[2][NB];
static u32 serial_count;
static void *stencil(void *p)
{
    u32 id = *(u32 *)p;
    for (int ph = 0; ph < PHASES; ph++) {
        const u32 *cur = grid[ph & 1];
        u32 *nxt = grid[(ph + 1) & 1];
        nxt[id] = cur[id] * 3 + cur[(id + 1) % NB] * 5 + cur[(id + NB - 1) % NB] + (u32)ph;
        int r = pthread_barrier_wait(&bar);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_fetch_add(&serial_count, 1, __ATOMIC_RELAXED);
        else if (r != 0) __atomic_fetch_add(&serial_count, 1000, __ATOMIC_RELAXED);
    }
    return NULL;
}
static void barrier_section(void)
{
    pthread_t t[NB];
    u32 id[NB], ref[2][NB];
    for (u32 i = 0; i < NB; i++) { id[i] = i; grid[0][i] = ref[0][i] = i * 7 + 1; }
    pthread_barrier_init(&bar, NULL, NB);
    start(t, NB, stencil, id, sizeof id[0]);
    for (int i = 0; i < NB; i++) pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    for (int ph = 0; ph < PHASES; ph++)
        for (u32 i = 0; i < NB; i++)
            ref[(ph + 1) & 1][i] = ref[ph & 1][i] * 3 + ref[ph & 1][(i + 1) % NB] * 5 +
                                   ref[ph & 1][(i + NB - 1) % NB] + (u32)ph;
    printf("barrier stencil:");
    int ok = 1;
    for (int i = 0; i < NB; i++) { printf(" %08x", grid[PHASES & 1][i]); ok &= grid[PHASES & 1][i] == ref[PHASES & 1][i]; mix(grid[PHASES & 1][i]); }
    printf("\nbarrier matches serial reference %d, serial-thread returns %u (want %d)\n", ok, serial_count, PHASES);
    CHECK(ok && serial_count == PHASES);
}

/* ---- 6: thread-local storage ---- */
static __thread u32 tls_data = 7;      /* .tdata */
static __thread u32 tls_bss;           /* .tbss */
static __thread char tls_buf[64];
static void *tls_worker(void *p)
{
    u32 id = *(u32 *)p;
    u32 init_ok = tls_data == 7 && tls_bss == 0 && tls_buf[63] == 0;
    for (u32 i = 0; i < 1000; i++) { tls_data += id; tls_bss += 2 * id + 1; tls_buf[i & 63] ^= (char)id; }
    u32 r = init_ok << 31 | (tls_data - 7) / 1000 << 16 | (tls_bss / 1000);
    return (void *)(uintptr_t)r;
}
static void tls_section(void)
{
    pthread_t t[5];
    u32 id[5] = {1, 2, 3, 4, 5};
    tls_data = 100;
    tls_bss = 200;
    start(t, 5, tls_worker, id, sizeof id[0]);
    printf("tls per thread (init_ok data bss):");
    for (int i = 0; i < 5; i++) {
        void *r;
        pthread_join(t[i], &r);
        u32 v = (u32)(uintptr_t)r;
        printf(" [%u %u %u]", v >> 31, (v >> 16) & 0x7fff, v & 0xffff);
        CHECK(v == (1u << 31 | id[i] << 16 | (2 * id[i] + 1)));
        mix(v);
    }
    printf("\ntls main unchanged: data %u bss %u\n", tls_data, tls_bss);
    CHECK(tls_data == 100 && tls_bss == 200);
}

/* ---- 7: once, keys, self ---- */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static u32 once_runs, dtor_runs, dtor_sum;
static pthread_key_t key;
static pthread_t main_thread;
static void once_fn(void) { once_runs++; }
static void dtor(void *v) { __atomic_fetch_add(&dtor_runs, 1, __ATOMIC_SEQ_CST); __atomic_fetch_add(&dtor_sum, (u32)(uintptr_t)v, __ATOMIC_SEQ_CST); }
static void *misc_worker(void *p)
{
    u32 id = *(u32 *)p;
    pthread_once(&once, once_fn);
    if (id & 1) pthread_setspecific(key, (void *)(uintptr_t)(id * 10));
    u32 ok = pthread_getspecific(key) == ((id & 1) ? (void *)(uintptr_t)(id * 10) : NULL);
    ok &= !pthread_equal(pthread_self(), main_thread);
    return (void *)(uintptr_t)ok;
}
static void misc_section(void)
{
    pthread_t t[6];
    u32 id[6] = {0, 1, 2, 3, 4, 5}, ok = 1;
    main_thread = pthread_self();
    pthread_key_create(&key, dtor);
    start(t, 6, misc_worker, id, sizeof id[0]);
    for (int i = 0; i < 6; i++) { void *r; pthread_join(t[i], &r); ok &= (u32)(uintptr_t)r; }
    printf("once ran %u, key destructors %u sum %u, getspecific/self ok %u, main key %d\n",
           once_runs, dtor_runs, dtor_sum, ok, pthread_getspecific(key) == NULL);
    CHECK(once_runs == 1 && dtor_runs == 3 && dtor_sum == 90 && ok);
    pthread_key_delete(key);
    mix(once_runs); mix(dtor_runs); mix(dtor_sum);
}

int main(void)
{
    join_section();
    counter_section();
    queue_section();
    barrier_section();
    tls_section();
    misc_section();
    printf("checksum %08x fails %d\n", ck, fails);
    return fails ? 1 : 0;
}
