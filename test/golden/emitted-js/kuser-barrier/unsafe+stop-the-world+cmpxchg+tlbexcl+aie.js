// region of 1 block(s): 0=0xffff0fa0; entries 0
// globals: t14=lr
let t14 = R[14];
let t23 = 0, t24 = 0, t25 = 0, t26 = 0;
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
// 0xffff0fa0: 00000000 kuser
a_c.barriers++; Atomics.add(a_fence, 0, 1);
t23 = 1;
t24 = t14 & t23;
R[32] = t24;
t25 = 1;
t26 = t14 & ~t25;
{ npc = t26; { code = 2; break main; } }
throw new Error('internal: fell through a region');
} // main
X[0] += ic; 
R[15] = npc;
return code;
