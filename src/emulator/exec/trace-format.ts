// Register dumps in the format of `qemu-arm -d cpu` for ARM, so that a
// lockstep diff of the two traces lines up (see `mttcg trace-diff`).

import { readCpsr } from '../arm/cpu-state.js';

function h(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

export function formatCpuState(env: Int32Array): string {
  const lines: string[] = [];
  for (let row = 0; row < 4; row++) {
    const cells: string[] = [];
    for (let col = 0; col < 4; col++) {
      const r = row * 4 + col;
      cells.push(`R${r.toString().padStart(2, '0')}=${h(env[r]!)}`);
    }
    lines.push(cells.join(' '));
  }
  const cpsr = readCpsr(env);
  const flags = `${cpsr & 0x80000000 ? 'N' : '-'}${cpsr & 0x40000000 ? 'Z' : '-'}${cpsr & 0x20000000 ? 'C' : '-'}${cpsr & 0x10000000 ? 'V' : '-'}`;
  // qemu prints T for Thumb state and A for ARM state; CPSR carries T (bit 5) and ITSTATE.
  lines.push(`PSR=${h(cpsr)} ${flags} ${cpsr & 0x20 ? 'T' : 'A'} usr32`);
  return lines.join('\n') + '\n';
}
