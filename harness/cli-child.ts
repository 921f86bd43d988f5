// The mttcg CLI (or another program) as a child process, asynchronously,
// so that a tap test keeps running (and hears its timers) meanwhile; killed
// after a deadline.

import { spawn } from 'node:child_process';

export interface CliRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error: Error | null;
}

/** `env`: the child's whole environment (default: this process's). */
export function runCli(argv: readonly string[], killAfterMs: number, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return runCommand(process.execPath, argv, killAfterMs, env);
}

/** Any program as a child process (sbatch, parallel), as runCli runs the CLI. */
export function runCommand(file: string, args: readonly string[], killAfterMs: number, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
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
