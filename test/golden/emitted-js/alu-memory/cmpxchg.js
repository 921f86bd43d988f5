// region of 1 block(s): 0=0x00010000; entries 0
// globals: t0=r0 t1=r1 t2=r2 t3=r3 t4=r4 t5=r5 t6=r6 t14=lr t16=nf t17=zf t18=cf t19=vf
let t0 = R[0], t1 = R[1], t2 = R[2], t3 = R[3], t4 = R[4], t5 = R[5], t6 = R[6], t14 = R[14], t16 = R[16], t17 = R[17], t18 = R[18], t19 = R[19];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0, t28 = 0, t29 = 0, t30 = 0, t31 = 0, t32 = 0, t33 = 0, t34 = 0, t35 = 0, t38 = 0, t39 = 0, t40 = 0, t41 = 0, t42 = 0, t43 = 0, t44 = 0, t45 = 0, t46 = 0, t47 = 0, t48 = 0;
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
ic = (ic + 7) | 0;
L0: {
// 0x00010000: e5901004 ldr
t22 = 4;
t23 = (t0 + t22) | 0;
ti = (t23 >>> 12) & 255;
t24 = TR[ti] === (t23 & (-4093)) ? M32[(t23 + TA[ti]) >> 2] : (R[0] = t0, R[1] = t1, R[3] = t3, R[4] = t4, R[5] = t5, R[6] = t6, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0, ld(t23, 2, 0x00010000));
// 0x00010004: e0911002 dp
t25 = 0;
{ const l = (t24 + t2) | 0; const h = (t25 + t25 + ((l >>> 0) < (t24 >>> 0) ? 1 : 0)) | 0; t26 = l; t27 = h; }
t16 = t26;
t17 = t26;
t18 = t27;
t28 = t26 ^ t24;
t29 = t24 ^ t2;
t30 = t28 & ~t29;
t19 = t30;
t1 = t26;
// 0x00010008: e4801004 ldr
t31 = 4;
t32 = (t0 + t31) | 0;
ti = (t0 >>> 12) & 255;
if (TW[ti] === (t0 & (-4093))) M32[(t0 + TA[ti]) >> 2] = t26; else { R[0] = t0, R[1] = t1, R[3] = t3, R[4] = t4, R[5] = t5, R[6] = t6, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0; st(t0, t26, 2, 0x00010008); }
t0 = t32;
// 0x0001000c: 11a03181 dp
t33 = 0;
if (t26 === t33) break L0;
t34 = 3;
t35 = t26 << t34;
t3 = t35;
} // L0
// 0x00010010: e8b00030 ldm
ti = (t0 >>> 12) & 255;
t38 = TR[ti] === (t0 & (-4093)) ? M32[(t0 + TA[ti]) >> 2] : (R[0] = t0, R[1] = t1, R[3] = t3, R[4] = t4, R[5] = t5, R[6] = t6, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0, ld(t0, 10, 0x00010010));
t39 = 4;
t40 = (t0 + t39) | 0;
ti = (t40 >>> 12) & 255;
t41 = TR[ti] === (t40 & (-4093)) ? M32[(t40 + TA[ti]) >> 2] : (R[0] = t0, R[1] = t1, R[3] = t3, R[4] = t4, R[5] = t5, R[6] = t6, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0, ld(t40, 10, 0x00010010));
t42 = 8;
t43 = (t0 + t42) | 0;
t0 = t43;
t4 = t38;
t5 = t41;
// 0x00010014: ee1d6f70 mrc
t44 = R[22];
t6 = t44;
// 0x00010018: e12fff1e bx
t45 = 1;
t46 = t14 & t45;
R[32] = t46;
t47 = 1;
t48 = t14 & ~t47;
{ npc = t48;
switch (npc) {
case 65536: { if ((n = (n - 1) | 0) < 0 || P[PI] !== 0) { code = 2; break main; } b = 0; continue main; }
}
{ code = 2; break main; } }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; R[0] = t0; R[1] = t1; R[3] = t3; R[4] = t4; R[5] = t5; R[6] = t6; R[16] = t16; R[17] = t17; R[18] = t18; R[19] = t19;
R[15] = npc;
return code;
