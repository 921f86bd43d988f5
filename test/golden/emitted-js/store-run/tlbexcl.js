// region of 1 block(s): 0=0x00010000; entries 0
// globals: t1=r1 t3=r3 t10=r10 t14=lr
let t1 = R[1], t3 = R[3], t10 = R[10], t14 = R[14];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0, t28 = 0, t29 = 0, t30 = 0, t31 = 0;
b = b | 0; n = n | 0;
let ti = 0, ic = 0, npc = 0, code = 0, xf = 0;
main: for (;;) {
E0: {
switch (b) {
case 0: { break E0; }
default: throw new Error('internal: no region entry ' + b);
}
} // E0
// block 0
ic = (ic + 5) | 0;
// 0x00010000: e58a3044 ldr
t22 = 68;
t23 = (t10 + t22) | 0;
ti = (t23 >>> 12) & 255;
if (TW[ti] === (t23 & (-4093))) M32[(t23 + TA[ti]) >> 2] = t3; else if (TW[ti] === ((t23 & (-4093)) | 1024) && (xf === (((((t23 + TA[ti]) | 0) >>> 6) + 1)) || (xf = ((xf !== 0 && ((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0)), (a_xm[(((t23 + TA[ti]) | 0) >>> 12)] & 1) !== 0 && a_xi[((((((t23 + TA[ti]) | 0) >>> 12)) & 15) << 15) | (((((t23 + TA[ti]) | 0) >>> 12)) >>> 4)] < 63 && (a_xk[7] = Atomics.load(a_xl, (Math.imul((((t23 + TA[ti]) | 0) >>> 6), -1640531535) >>> 13)) & (-2097153), Atomics.compareExchange(a_xl, (Math.imul((((t23 + TA[ti]) | 0) >>> 6), -1640531535) >>> 13), a_xk[7], (a_xk[7] + 4194304) | 0) === a_xk[7]) ? (a_xi[((((((t23 + TA[ti]) | 0) >>> 12)) & 15) << 15) | (((((t23 + TA[ti]) | 0) >>> 12)) >>> 4)]++, a_c.unlockedStores++, true) : false) ? (((((t23 + TA[ti]) | 0) >>> 6) + 1)) : 0) !== 0)) { M32[(t23 + TA[ti]) >> 2] = t3; }
else { (xf !== 0 && (((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0), xf = 0)), X[0] += ic, ic = 0; st(t23, t3, 2, 0x00010000); }
// 0x00010004: e58a3048 ldr
t24 = 72;
t25 = (t10 + t24) | 0;
ti = (t25 >>> 12) & 255;
if (TW[ti] === (t25 & (-4093))) M32[(t25 + TA[ti]) >> 2] = t3; else if (TW[ti] === ((t25 & (-4093)) | 1024) && (xf === (((((t25 + TA[ti]) | 0) >>> 6) + 1)) || (xf = ((xf !== 0 && ((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0)), (a_xm[(((t25 + TA[ti]) | 0) >>> 12)] & 1) !== 0 && a_xi[((((((t25 + TA[ti]) | 0) >>> 12)) & 15) << 15) | (((((t25 + TA[ti]) | 0) >>> 12)) >>> 4)] < 63 && (a_xk[7] = Atomics.load(a_xl, (Math.imul((((t25 + TA[ti]) | 0) >>> 6), -1640531535) >>> 13)) & (-2097153), Atomics.compareExchange(a_xl, (Math.imul((((t25 + TA[ti]) | 0) >>> 6), -1640531535) >>> 13), a_xk[7], (a_xk[7] + 4194304) | 0) === a_xk[7]) ? (a_xi[((((((t25 + TA[ti]) | 0) >>> 12)) & 15) << 15) | (((((t25 + TA[ti]) | 0) >>> 12)) >>> 4)]++, a_c.unlockedStores++, true) : false) ? (((((t25 + TA[ti]) | 0) >>> 6) + 1)) : 0) !== 0)) { M32[(t25 + TA[ti]) >> 2] = t3; }
else { (xf !== 0 && (((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0), xf = 0)), X[0] += ic, ic = 0; st(t25, t3, 2, 0x00010004); }
// 0x00010008: f57ff05b dmb
a_c.barriers++; Atomics.add(a_fence, 0, 1);
// 0x0001000c: e58a1040 ldr
t26 = 64;
t27 = (t10 + t26) | 0;
ti = (t27 >>> 12) & 255;
if (TW[ti] === (t27 & (-4093))) M32[(t27 + TA[ti]) >> 2] = t1; else if (TW[ti] === ((t27 & (-4093)) | 1024) && (xf === (((((t27 + TA[ti]) | 0) >>> 6) + 1)) || (xf = ((xf !== 0 && ((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0)), (a_xm[(((t27 + TA[ti]) | 0) >>> 12)] & 1) !== 0 && a_xi[((((((t27 + TA[ti]) | 0) >>> 12)) & 15) << 15) | (((((t27 + TA[ti]) | 0) >>> 12)) >>> 4)] < 63 && (a_xk[7] = Atomics.load(a_xl, (Math.imul((((t27 + TA[ti]) | 0) >>> 6), -1640531535) >>> 13)) & (-2097153), Atomics.compareExchange(a_xl, (Math.imul((((t27 + TA[ti]) | 0) >>> 6), -1640531535) >>> 13), a_xk[7], (a_xk[7] + 4194304) | 0) === a_xk[7]) ? (a_xi[((((((t27 + TA[ti]) | 0) >>> 12)) & 15) << 15) | (((((t27 + TA[ti]) | 0) >>> 12)) >>> 4)]++, a_c.unlockedStores++, true) : false) ? (((((t27 + TA[ti]) | 0) >>> 6) + 1)) : 0) !== 0)) { M32[(t27 + TA[ti]) >> 2] = t1; }
else { (xf !== 0 && (((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0), xf = 0)), X[0] += ic, ic = 0; st(t27, t1, 2, 0x0001000c); }
// 0x00010010: e12fff1e bx
t28 = 1;
t29 = t14 & t28;
R[32] = t29;
t30 = 1;
t31 = t14 & ~t30;
(xf !== 0 && (((a_xo[0] !== 0 ? ((a_xk[6] & 2097151) !== 2097151 ? (a_xl[(Math.imul(xf - 1, -1640531535) >>> 13)] = (a_xk[6] + 1) | 0) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-2097151)) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))) : ((Atomics.add(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), (-4194303) - a_xo[0]) & 2097151) === 2097151 && (Atomics.add(a_xw, (Math.imul(xf - 1, -1640531535) >>> 13), 1), Atomics.sub(a_xl, (Math.imul(xf - 1, -1640531535) >>> 13), 2097152)))), a_xk[0] === (Math.imul(xf - 1, -1640531535) >>> 13) + 1 && a_xk[1]++, a_xo[0] = 0), xf = 0));
{ npc = t31;
switch (npc) {
case 65536: { if ((n = (n - 1) | 0) < 0 || P[PI] !== 0) { code = 2; break main; } b = 0; continue main; }
}
{ code = 2; break main; } }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; 
R[15] = npc;
return code;
