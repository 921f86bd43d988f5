// region of 1 block(s): 0=0x00010000; entries 0
// globals: t0=r0 t1=r1 t2=r2 t16=nf t17=zf t18=cf t19=vf
let t0 = R[0], t1 = R[1], t2 = R[2], t16 = R[16], t17 = R[17], t18 = R[18], t19 = R[19];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0, t28 = 0, t30 = 0, t32 = 0, t33 = 0, t34 = 0;
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
L0: {
// 0x00010000: e1901f9f ldrex
{ const xa = t0, xi = (xa >>> 12) & 255; let xd = 0;
if (TR[xi] === (xa & (-4093))) { const xo = (xa + TA[xi]) | 0, xp = xo >>> 12;
if ((a_xm[xp] & 3) === 3) { const xl = (Math.imul((xo >>> 6), -1640531535) >>> 13), xs = a_xw[xl], xw = Atomics.load(a_xl, xl);
if ((xw & 2145386496) === 0 && (Atomics.load(a_xm, xp) & 3) === 3) { const xq = (((xp) & 15) << 15) | ((xp) >>> 4);
if (a_xi[xq] !== 0) a_xi[xq] = 0;
a_xk[2] = xo; a_xk[3] = (xo + 4) | 0; a_xk[4] = xw; a_xk[5] = xs; a_xk[0] = (xl + 1) | 0; a_xk[1] = 0; a_c.ldrex++; a_c.ldrexUnlocked++; xd = 1; }
else if (a_ldx(xo)) xd = 1;
if (xd !== 0) { t22 = M32[xo >> 2]; t23 = 0; } } }
if (xd === 0) { R[1] = t1, R[2] = t2, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0; t22 = a_ld_excl(xa, 10, 0x00010000); t23 = R[30]; } }
// 0x00010004: e2811001 dp
t24 = 1;
t25 = (t22 + t24) | 0;
t1 = t25;
// 0x00010008: e1802f91 strex
t27 = 0;
{ const xa = t0, xi = (xa >>> 12) & 255; let xd = 0;
if (TW[xi] === ((xa & (-4093)) | 1024)) { const xo = (xa + TA[xi]) | 0, xw = (a_xk[4] + a_xk[1] * 1) | 0;
if (a_xk[2] === xo && a_xk[3] === ((xo + 4) | 0) && (xw & 2145386496) === 0) { const xl = (Math.imul((xo >>> 6), -1640531535) >>> 13);
a_xk[2] = -1; a_xk[0] = 0; a_c.strex++; xd = 1;
t26 = Atomics.compareExchange(a_xl, xl, xw, (xw + 2097152) | 0) === xw ? 0 : 1;
if (t26 === 0) { if (a_xw[xl] === a_xk[5]) { M32[xo >> 2] = t25; a_c.strexUnlocked++; ((xw & 2097151) !== 2097151 ? (a_xl[xl] = (xw + 1) | 0) : ((Atomics.add(a_xl, xl, (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, xl, 1), Atomics.sub(a_xl, xl, 2097152)))); } else t26 = a_xf(xo); }
a_c.strexFailNoRange += t26; } }
if (xd === 0) { R[1] = t1, R[2] = t2, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0; t26 = a_st_excl(xa, t25, t27, 10, 0x00010008); } }
t2 = t26;
// 0x0001000c: e3520000 dp
t28 = 0;
t16 = t26;
t17 = t26;
t30 = (t26 >>> 0) >= (t28 >>> 0) ? 1 : 0;
t18 = t30;
t32 = t26 ^ t26;
t33 = t26 & t32;
t19 = t33;
// 0x00010010: 1afffffa b
t34 = 0;
if (t26 === t34) break L0;
{ npc = 65536; code = 8; break main; }
} // L0
{ npc = 65556; code = 9; break main; }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; R[1] = t1; R[2] = t2; R[16] = t16; R[17] = t17; R[18] = t18; R[19] = t19;
R[15] = npc;
return code;
