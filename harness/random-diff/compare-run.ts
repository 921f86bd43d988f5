// Runs one generated program under qemu-arm and under mttcg and compares
// their stdout case by case: registers, APSR, extension state and scratch
// memory. A mismatch is reported with the case's sequence listing, the input
// registers and each side's differing values.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../guest-runner.js';
import { OUTPUT_REG_BYTES, outputRegisters, SCRATCH_BYTES, type BuiltProgram, type RandomGenerator } from './program.js';

/**
 * qemu-arm's CPU: a Cortex-A15 is ARMv7-A with the integer divide instructions,
 * Thumb-2 and VFPv3 (plus NEON and VFPv4, which no generator emits), the
 * closest match to what mttcg advertises in AT_HWCAP.
 */
export const QEMU_CPU = 'cortex-a15';

export interface RunOutcome {
  readonly stdout: Buffer;
  readonly status: number | null;
  readonly stderr: string;
}

export function runQemuProgram(elf: string): RunOutcome {
  const r = spawnSync('qemu-arm', ['-cpu', QEMU_CPU, elf], { timeout: 60000, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, status: r.status, stderr: String(r.stderr) };
}

export function runMttcgProgram(elf: string, options: readonly string[]): RunOutcome {
  const r = spawnSync(process.execPath, [CLI, 'run', '--clean-env', ...options, elf], { timeout: 120000, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, status: r.status, stderr: String(r.stderr) };
}

export interface CaseMismatch {
  readonly caseIndex: number;
  readonly report: string;
}

const h8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
const regName = (r: number): string => (r === 13 ? 'sp' : r === 14 ? 'lr' : `r${r}`);

function describeCase(gen: RandomGenerator, prog: BuiltProgram, k: number, qemu: DataView | null, mttcg: DataView | null): string {
  const c = prog.cases[k]!;
  const lines: string[] = [`case ${k} (${gen.name}):`];
  for (const l of c.sequence) lines.push(`  ${h8(l.addr)}: ${l.encoding.padEnd(10)} ${l.text}`);
  const input = outputLikeInput(c.input);
  lines.push(`  input   ${input.join(' ')}`);
  if (qemu && mttcg) {
    const q = outputRegisters(qemu);
    const m = outputRegisters(mttcg);
    for (let r = 0; r < 15; r++) {
      if (q.regs[r] !== m.regs[r]) lines.push(`  ${regName(r).padEnd(4)} qemu-arm ${h8(q.regs[r]!)}  mttcg ${h8(m.regs[r]!)}`);
    }
    if (q.apsr !== m.apsr) lines.push(`  APSR qemu-arm ${h8(q.apsr)}  mttcg ${h8(m.apsr)}`);
    const ext = gen.extension;
    if (ext) {
      const qe = ext.describe(new DataView(qemu.buffer, qemu.byteOffset + OUTPUT_REG_BYTES, ext.outputBytes));
      const me = ext.describe(new DataView(mttcg.buffer, mttcg.byteOffset + OUTPUT_REG_BYTES, ext.outputBytes));
      qe.forEach((v, i) => { if (v !== me[i]) lines.push(`  qemu-arm ${v}  mttcg ${me[i]}`); });
    }
    const sOff = OUTPUT_REG_BYTES + (ext?.outputBytes ?? 0);
    for (let i = 0; i < SCRATCH_BYTES; i += 4) {
      const a = qemu.getUint32(sOff + i, true);
      const b = mttcg.getUint32(sOff + i, true);
      if (a !== b) lines.push(`  [scratch+${i}] qemu-arm ${h8(a)}  mttcg ${h8(b)}`);
    }
  }
  return lines.join('\n');
}

function outputLikeInput(input: Uint8Array): string[] {
  const v = new DataView(input.buffer, input.byteOffset, 64);
  const out: string[] = [];
  for (let r = 0; r < 15; r++) out.push(`${regName(r)}=${h8(v.getUint32(4 * r, true))}`);
  out.push(`APSR=${h8(v.getUint32(60, true))}`);
  return out;
}

export interface ProgramComparison {
  readonly mismatches: CaseMismatch[];
  /** Cases both emulators completed and that matched. */
  readonly matched: number;
  /** Set when either side did not finish normally (crash, signal, short output). */
  readonly failure: string | null;
}

/** Writes the ELF into dir, runs both emulators, compares every case. */
export function compareProgram(gen: RandomGenerator, prog: BuiltProgram, dir: string, name: string, mttcgOptions: readonly string[] = []): ProgramComparison {
  const path = join(dir, `${name}.elf`);
  writeFileSync(path, prog.elf, { mode: 0o755 });
  const q = runQemuProgram(path);
  const m = runMttcgProgram(path, mttcgOptions);
  const size = prog.outputBytesPerCase;
  const mismatches: CaseMismatch[] = [];
  let matched = 0;
  const n = prog.cases.length;
  const block = (b: Buffer, k: number): DataView | null =>
    b.length >= (k + 1) * size ? new DataView(b.buffer, b.byteOffset + k * size, size) : null;
  for (let k = 0; k < n; k++) {
    const qb = block(q.stdout, k);
    const mb = block(m.stdout, k);
    if (qb === null || mb === null) {
      mismatches.push({ caseIndex: k, report: `${describeCase(gen, prog, k, null, null)}\n  ${qb === null ? 'qemu-arm' : 'mttcg'} stopped before the case's output` });
      break;
    }
    if (Buffer.compare(Buffer.from(qb.buffer, qb.byteOffset, size), Buffer.from(mb.buffer, mb.byteOffset, size)) !== 0) {
      mismatches.push({ caseIndex: k, report: describeCase(gen, prog, k, qb, mb) });
    } else {
      matched++;
    }
  }
  let failure: string | null = null;
  if (q.status !== 0) failure = `qemu-arm exited with status ${q.status}: ${q.stderr.trim()}`;
  else if (m.status !== 0) failure = `mttcg ${mttcgOptions.join(' ')} exited with status ${m.status}: ${m.stderr.trim()}`;
  return { mismatches, matched, failure: failure && `${path}: ${failure}` };
}
