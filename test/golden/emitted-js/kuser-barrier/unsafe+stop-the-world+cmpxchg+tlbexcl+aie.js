// globals: t14=lr
let t14 = R[14];
let ti = 0;
// 0xffff0fa0: 00000000 kuser
a_c.barriers++; Atomics.add(a_fence, 0, 1);
{  R[15] = t14; return 2; }
throw new Error('internal: fell off the end of TB 0xffff0fa0');
