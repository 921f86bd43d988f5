// region of 1 block(s): 0xffff0fa0
// globals: t14=lr
let t14 = R[14];
let t23 = 0, t24 = 0, t25 = 0, t26 = 0;
let ti = 0, ic = 0, bc = 0, npc = 0, code = 0;
const e0 = H[4];
try {
main: for (;;) {
switch (b) {
case 0: {
ic += 1; bc++;
// 0xffff0fa0: 00000000 kuser
a_c.barriers++; Atomics.add(a_fence, 0, 1);
t23 = 1;
t24 = t14 & t23;
R[32] = t24;
t25 = 1;
t26 = t14 & ~t25;
{ npc = t26; b = -1; continue main; }
} // case 0
case -1:
if (!(--n < 0 || P[PI] !== 0 || H[4] !== e0)) switch (npc) {
}
code = 2; break main;
default: throw new Error('internal: no region block ' + b);
}
} // main
} catch (e) { X[0] += ic; X[1] += bc;  throw e; }
X[0] += ic; X[1] += bc; 
R[15] = npc;
return code;
