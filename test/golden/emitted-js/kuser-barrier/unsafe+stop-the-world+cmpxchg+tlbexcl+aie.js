// globals: t14=lr
let t14 = R[14];
let t23 = 0, t24 = 0, t25 = 0, t26 = 0;
let ti = 0;
try {
// 0xffff0fa0: 00000000 kuser
a_c.barriers++; Atomics.add(a_fence, 0, 1);
t23 = 1;
t24 = t14 & t23;
R[32] = t24;
t25 = 1;
t26 = t14 & ~t25;
{  R[15] = t26; return 2; }
throw new Error('internal: fell off the end of TB 0xffff0fa0');
} catch (e) {  throw e; }
