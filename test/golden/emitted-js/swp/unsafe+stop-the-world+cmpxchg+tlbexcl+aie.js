// globals: t0=r0 t1=r1 t2=r2 t14=lr
let t0 = R[0], t1 = R[1], t2 = R[2], t14 = R[14];
let t22 = 0, t23 = 0, t24 = 0, t25 = 0, t26 = 0, t27 = 0;
let ti = 0;
try {
// 0x00010000: e1001092 swp
t22 = a_swap(t0, t2, 10, 0x00010000);
t1 = t22;
// 0x00010004: e1401092 swp
t23 = a_swap(t0, t2, 0, 0x00010004);
t1 = t23;
// 0x00010008: e12fff1e bx
t24 = 1;
t25 = t14 & t24;
R[32] = t25;
t26 = 1;
t27 = t14 & ~t26;
{ R[1] = t1; R[15] = t27; return 2; }
throw new Error('internal: fell off the end of TB 0x00010000');
} catch (e) { R[1] = t1; throw e; }
