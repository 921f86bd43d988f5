// region of 1 block(s): 0=0x00010000; entries 0
// globals: t0=r0 t1=r1 t2=r2 t14=lr
let t0 = R[0], t1 = R[1], t2 = R[2], t14 = R[14];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0;
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
ic = (ic + 3) | 0;
// 0x00010000: e1001092 swp
{ const xa = t0, xi = (xa >>> 12) & 255;
if (TW[xi] === (xa & (-4093))) { a_c.swaps++; t22 = Atomics.exchange(M32, (xa + TA[xi]) >> 2, t2); }
else { R[1] = t1, X[0] += ic, ic = 0; t22 = a_swap(xa, t2, 10, 0x00010000); } }
t1 = t22;
// 0x00010004: e1401092 swp
R[1] = t1, X[0] += ic, ic = 0; t23 = a_swap(t0, t2, 0, 0x00010004);
t1 = t23;
// 0x00010008: e12fff1e bx
t24 = 1;
t25 = t14 & t24;
R[32] = t25;
t26 = 1;
t27 = t14 & ~t26;
{ npc = t27;
switch (npc) {
case 65536: { if ((n = (n - 1) | 0) < 0 || P[PI] !== 0) { code = 2; break main; } b = 0; continue main; }
}
{ code = 2; break main; } }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; R[1] = t1;
R[15] = npc;
return code;
