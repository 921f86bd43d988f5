// `mttcg trace-diff` in Thumb state: a random Thumb-2 program (IT blocks,
// interworking into ARM code and back) single-stepped under qemu-arm and
// mttcg gives identical traces, Thumb and IT state included.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, qemuAvailable, QEMU_MISSING } from '../harness/guest-runner.js';
import { buildProgram } from '../harness/random-diff/program.js';
import { T32Generator } from '../harness/random-diff/t32-generator.js';

t.test('trace-diff follows Thumb code, IT blocks and interworking in lockstep', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-trace-thumb-'));
  const elf = join(dir, 'thumb.elf');
  writeFileSync(elf, buildProgram(new T32Generator(), 13, 6).elf, { mode: 0o755 });
  const r = spawnSync(process.execPath, [CLI, 'trace-diff', '--keep-logs', elf], { encoding: 'utf8', timeout: 120000 });
  t.equal(r.status, 0, `trace-diff exits 0: ${r.stdout}${r.stderr}`);
  t.match(r.stdout, /traces are identical/);
  const logs = /logs in (\S+)\)/.exec(r.stdout)?.[1];
  t.ok(logs, 'the logs are named');
  const psrs = readFileSync(join(logs!, 'mttcg.log'), 'utf8').split('\n').filter((l) => l.startsWith('PSR='));
  t.ok(psrs.some((l) => / T usr32/.test(l)), 'steps in Thumb state');
  t.ok(psrs.some((l) => / A usr32/.test(l)), 'steps in ARM state (interworking)');
  t.ok(psrs.some((l) => (parseInt(l.slice(4, 12), 16) & 0x0600fc00) !== 0), 'steps inside an IT block');
});
