// region of 1 block(s): 0x00010000
// globals: t0=r0 t1=r1 t2=r2 t3=r3 t14=lr
let t0 = R[0], t1 = R[1], t2 = R[2], t3 = R[3], t14 = R[14];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0, t28 = 0;
let ti = 0, ic = 0, bc = 0, npc = 0, code = 0;
const e0 = H[4];
try {
main: for (;;) {
switch (b) {
case 0: {
ic += 5; bc++;
// 0x00010000: e1b02f9f ldrex
t22 = a_ld_excl(t0, 11, 0x00010000); t23 = R[30];
t2 = t22;
t3 = t23;
// 0x00010004: e1a01f92 strex
t24 = a_st_excl(t0, t22, t23, 11, 0x00010004);
t1 = t24;
// 0x00010008: f57ff01f clrex
R[24] = -1;
// 0x0001000c: f57ff05b dmb
a_c.barriers++; Atomics.add(a_fence, 0, 1);
// 0x00010010: e12fff1e bx
t25 = 1;
t26 = t14 & t25;
R[32] = t26;
t27 = 1;
t28 = t14 & ~t27;
{ npc = t28; b = -1; continue main; }
} // case 0
case -1:
if (!(--n < 0 || P[PI] !== 0 || H[4] !== e0)) switch (npc) {
case 65536: b = 0; continue main;
}
code = 2; break main;
default: throw new Error('internal: no region block ' + b);
}
} // main
} catch (e) { X[0] += ic; X[1] += bc; R[1] = t1; R[2] = t2; R[3] = t3; throw e; }
X[0] += ic; X[1] += bc; R[1] = t1; R[2] = t2; R[3] = t3;
R[15] = npc;
return code;
