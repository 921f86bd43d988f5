// Runs one matrix cell's process (mttcg run or qemu-arm) to completion, with a
// deadline of the runner's own so that nothing the guest or the emulator does
// can hang the matrix. Cells run one at a time: the machine the matrix is
// meant for has few cores, and concurrent cells would disturb each other.

import { constants } from 'node:os';
import { spawnTied } from '../host/tied-children.js';

export interface CellCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The runner kills the process (SIGKILL) after this many seconds. */
  readonly killAfterSeconds: number;
}

export interface CellProcessResult {
  readonly stdout: string;
  readonly stderrTail: string;
  /** Exit status (128+N for signal N), null if the runner killed it or it never started. */
  readonly exitCode: number | null;
  /** The deadline that expired, or null. */
  readonly killedAfter: number | null;
  /** Set when the process could not be started at all. */
  readonly spawnError: string | null;
  readonly ms: number;
}

const STDOUT_LIMIT = 1 << 20;
const STDERR_TAIL = 1500;

export function runCellProcess(cmd: CellCommand): Promise<CellProcessResult> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    let stdout = '';
    let stderr = '';
    let killedAfter: number | null = null;
    let spawnError: string | null = null;
    // Tied: a SIGINT/SIGTERM to the matrix run kills the cell's process too.
    const child = spawnTied(cmd.file, cmd.args, { env: { ...cmd.env } });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (stdout.length < STDOUT_LIMIT) stdout += d;
    });
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_TAIL);
    });
    const timer = setTimeout(() => {
      killedAfter = cmd.killAfterSeconds;
      child.kill('SIGKILL');
    }, cmd.killAfterSeconds * 1000);
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let exitCode: number | null = code;
      if (exitCode === null && signal && killedAfter === null) exitCode = 128 + (constants.signals[signal] ?? 0);
      if (spawnError !== null || killedAfter !== null) exitCode = null;
      resolve({ stdout, stderrTail: stderr, exitCode, killedAfter, spawnError, ms: elapsed() });
    });
  });
}
