// region of 1 block(s): 0=0x00010000; entries 0
// globals: t0=r0 t1=r1 t2=r2 t3=r3 t14=lr
let t0 = R[0], t1 = R[1], t2 = R[2], t3 = R[3], t14 = R[14];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0, t28 = 0;
b = b | 0; n = n | 0;
let ti = 0, ic = 0, npc = 0, code = 0;
main: for (;;) {
E0: {
switch (b) {
case 0: { break E0; }
default: throw new Error('internal: no region entry ' + b);
}
} // E0
// block 0
ic = (ic + 5) | 0;
// 0x00010000: e1b02f9f ldrex
R[1] = t1, R[2] = t2, R[3] = t3, X[0] += ic, ic = 0; t22 = a_ld_excl(t0, 11, 0x00010000); t23 = R[30];
t2 = t22;
t3 = t23;
// 0x00010004: e1a01f92 strex
R[1] = t1, R[2] = t2, R[3] = t3, X[0] += ic, ic = 0; t24 = a_st_excl(t0, t22, t23, 11, 0x00010004);
t1 = t24;
// 0x00010008: f57ff01f clrex
a_clrex();
// 0x0001000c: f57ff05b dmb
a_c.barriers++; Atomics.add(a_fence, 0, 1);
// 0x00010010: e12fff1e bx
t25 = 1;
t26 = t14 & t25;
R[32] = t26;
t27 = 1;
t28 = t14 & ~t27;
{ npc = t28;
switch (npc) {
case 65536: { if ((n = (n - 1) | 0) < 0 || P[PI] !== 0) { code = 2; break main; } b = 0; continue main; }
}
{ code = 2; break main; } }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; R[1] = t1; R[2] = t2; R[3] = t3;
R[15] = npc;
return code;
