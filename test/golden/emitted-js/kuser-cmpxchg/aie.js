// region of 1 block(s): 0=0xffff0fc0; entries 0
// globals: t0=r0 t1=r1 t2=r2 t14=lr t18=cf
let t0 = R[0], t1 = R[1], t2 = R[2], t14 = R[14], t18 = R[18];
let t22 = 0, t23 = 0, t24 = 0, t26 = 0, t27 = 0, t28 = 0, t29 = 0;
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
ic = (ic + 1) | 0;
// 0xffff0fc0: 00000000 kuser
{ const xa = t2, xi = (xa >>> 12) & 255; let xd = 0, xz = 0;
if ((TW[xi] === (xa & (-4093)) || TW[xi] === ((xa & (-4093)) | 1024))) { const xo = (xa + TA[xi]) | 0, xq = xo >>> 4, xc = (xq & 63) << 1, xe = a_ec[xc + 1];
if ((a_ec[xc] & -1073741825) === xq) { const xg = xe + 0; let xr = 0, xy = 31; do { xr = Atomics.or(a_w, xg, 1) & 3; xy = (xy - 1) | 0; } while ((xr | ((xy >>> 31) << 1)) === 1);
if (xr === 0) { a_c.lockAcquisitions++; a_c.lockContended += xy < 30 ? 1 : 0; a_c.cas++; xd = 1; const xv = t0;
const xk = Atomics.compareExchange(M32, xo >> 2, xv, t1) === xv ? 1 : 0; t22 = xk; a_c.casFail += xk ^ 1;
xz = (Atomics.exchange(a_w, xg, ((a_w[xg] & -4) + xk * 4) | 0) & 2) !== 0 ? xg : 0; a_wk(xz); } } }
if (xd === 0) { R[0] = t0, R[18] = t18, X[0] += ic, ic = 0; t22 = a_cmpxchg(xa, t0, t1, 10, 0xffff0fc0); } }
t23 = 1;
t24 = (t22 - t23) | 0;
t0 = t24;
t18 = t22;
t26 = 1;
t27 = t14 & t26;
R[32] = t27;
t28 = 1;
t29 = t14 & ~t28;
{ npc = t29; { code = 2; break main; } }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; R[0] = t0; R[18] = t18;
R[15] = npc;
return code;
