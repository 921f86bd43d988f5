// The lockstep trace comparison sees the instruction set state: a step whose
// registers and flags agree but whose T bit or ITSTATE differs is a 'state'
// divergence, and mttcg's dump prints Thumb state as qemu does (T, not A).

import t from 'tap';
import { Env, createEnv } from '../../../src/emulator/arm/cpu-state.js';
import { diffTraces, parseTrace } from '../../../src/emulator/exec/trace-diff.js';
import { formatCpuState } from '../../../src/emulator/exec/trace-format.js';

const regs = (pc: number): number[] => Array.from({ length: 16 }, (_, r) => (r === 15 ? pc : r));

t.test('T and ITSTATE differences are state divergences', async (t) => {
  const a = [{ regs: regs(0x10000), psr: 0x60000030 }];
  t.equal(diffTraces(a, [{ regs: regs(0x10000), psr: 0x60000030 }]), null, 'equal states agree');
  t.match(diffTraces(a, [{ regs: regs(0x10000), psr: 0x60000010 }]), { step: 0, kind: 'state' }, 'T bit');
  t.match(diffTraces(a, [{ regs: regs(0x10000), psr: 0x6000fc30 }]), { step: 0, kind: 'state' }, 'IT[7:2]');
  t.match(diffTraces(a, [{ regs: regs(0x10000), psr: 0x66000030 }]), { step: 0, kind: 'state' }, 'IT[1:0]');
});

t.test('the register dump shows Thumb state and ITSTATE in the CPSR, as qemu -d cpu', async (t) => {
  const env = createEnv();
  env[Env.PC] = 0x10002;
  env[Env.ZF] = 0; // Z set
  env[Env.EXEC_STATE] = 1 | (0xab << 1); // ITSTATE 1010 1011
  const text = formatCpuState(env);
  t.match(text, /PSR=4600a830 -Z-- T usr32/, 'T bit 5, IT[1:0] at 26:25, IT[7:2] at 15:10');
  const [state] = parseTrace(text);
  t.equal(state?.regs[15], 0x10002, 'R15 is the halfword-aligned pc');
  env[Env.EXEC_STATE] = 0;
  t.match(formatCpuState(env), /PSR=40000010 -Z-- A usr32/, 'ARM state prints A');
});
