// Host signals sent to the emulator reach the guest as qemu-arm passes them
// on (torture-tests/guest/sig-host.c): handled ones run the guest's handler,
// an ignored one changes nothing, a default action ends the run with
// 128+sig. The same program runs under qemu-arm where it is installed, and
// both must agree with the expected output and status.

import { spawn } from 'node:child_process';
import t from 'tap';
import { CLI, guestElf, qemuAvailable } from '../harness/guest-runner.js';

interface Outcome {
  readonly stdout: string;
  readonly status: number;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };

/** Runs the program, waits for "ready", sends the signals (pausing `gapMs` between), returns stdout and status. */
function runWithSignals(cmd: string, args: readonly string[], signals: readonly NodeJS.Signals[], gapMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let sent = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes('ready\n')) {
        sent = true;
        signals.forEach((s, i) => setTimeout(() => child.kill(s), 200 + i * gapMs));
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ stdout, status: code ?? 128 + (SIGNAL_NUMBERS[signal as NodeJS.Signals] ?? 0) });
    });
  });
}

const CASES: { mode: string; signals: NodeJS.Signals[]; gapMs: number; stdout: string; status: number }[] = [
  {
    mode: 'handle', signals: ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGWINCH', 'SIGCHLD'], gapMs: 50,
    stdout: 'ready\nHUP 1 INT 1 TERM 1 WINCH 1 CHLD 1, not from a process 0\n', status: 0,
  },
  { mode: 'ignore', signals: ['SIGINT', 'SIGTERM'], gapMs: 500, stdout: 'ready\nSIGTERM handled after SIGINT was ignored\n', status: 4 },
  { mode: 'default', signals: ['SIGWINCH', 'SIGTERM'], gapMs: 500, stdout: 'ready\n', status: 143 },
];

const elf = guestElf('sig-host');
for (const c of CASES) {
  t.test(`host signals, ${c.mode}`, async (t) => {
    const m = await runWithSignals(process.execPath, [CLI, 'run', elf, c.mode], c.signals, c.gapMs);
    t.equal(m.stdout, c.stdout, 'mttcg: stdout');
    t.equal(m.status, c.status, `mttcg: exit status ${c.status}`);
    if (qemuAvailable()) {
      const q = await runWithSignals('qemu-arm', [elf, c.mode], c.signals, c.gapMs);
      t.equal(q.stdout, c.stdout, 'qemu-arm: stdout');
      t.equal(q.status, c.status, `qemu-arm: exit status ${c.status}`);
    }
  });
}
