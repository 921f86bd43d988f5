// The mttcg CLI as a child process, asynchronously, so that a tap test keeps
// running (and hears its timers) meanwhile; killed after a deadline.

import { spawn } from 'node:child_process';

export interface CliRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error: Error | null;
}

export function runCli(argv: readonly string[], killAfterMs: number): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let error: Error | null = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      error = new Error(`killed after ${killAfterMs / 1000} s`);
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', (e) => (error = e));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, error });
    });
  });
}
