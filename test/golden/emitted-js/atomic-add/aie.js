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
if (TR[xi] === (xa & (-4093))) { const xo = (xa + TA[xi]) | 0, xq = xo >>> 4, xc = (xq & 63) << 1, xe = a_ec[xc + 1];
if (a_ec[xc] === xq) { let xv0 = 0, xy = 31; do { xv0 = Atomics.load(a_w, xe + 0); xy = (xy - 1) | 0; } while (((xv0 & 3) | ((xy >>> 31) << 1)) === 1);
if ((xv0 & 3) === 0) { xd = 1; a_c.ldrex++; const xv = M32[xo >> 2]; R[28] = xe; R[24] = xa; R[27] = 2; R[25] = xv0; R[30] = 0; t22 = xv; t23 = 0; } } }
if (xd === 0) { R[1] = t1, R[2] = t2, R[16] = t16, R[17] = t17, R[18] = t18, R[19] = t19, X[0] += ic, ic = 0; t22 = a_ld_excl(xa, 10, 0x00010000); t23 = R[30]; } }
// 0x00010004: e2811001 dp
t24 = 1;
t25 = (t22 + t24) | 0;
t1 = t25;
// 0x00010008: e1802f91 strex
t27 = 0;
{ const xa = t0, xi = (xa >>> 12) & 255, xe = R[28]; let xd = 0, xz = 0;
if (R[24] === xa && R[27] === 2 && xe !== 0) { const xw = TW[xi], xt = (xa & (-4093));
if (xw === xt || xw === (xt | 1024)) { const xo = (xa + TA[xi]) | 0, xq = xo >>> 4, xc = (xq & 63) << 1;
if (a_ec[xc] === xq && a_ec[xc + 1] === xe) { const xv0 = R[25], xg = xe + 0;
let xr = 0, xy = 31; do { xr = Atomics.compareExchange(a_w, xg, xv0, xv0 | 1); xy = (xy - 1) | 0; } while (((xr === (xv0 | 1) ? 1 : 0) & ((xy >>> 31) ^ 1)) === 1);
const xm = xr === xv0 ? 1 : 0, xs = (xr & -4) === xv0 ? 1 : 0;
if ((xm | (xs ^ 1)) !== 0) { R[24] = -1; R[28] = 0; a_c.strex++; a_c.lockAcquisitions += xm; xd = 1;
if (xm !== 0) { M32[xo >> 2] = t25; xz = (Atomics.exchange(a_w, xg, (xv0 + 4) | 0) & 2) !== 0 ? xg : 0; a_wk(xz); }
t26 = xm ^ 1; a_c.strexFailReservation += t26; } } } }
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
