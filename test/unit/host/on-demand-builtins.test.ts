// Host services loaded on first use (src/host/on-demand-builtins.ts): random
// bytes fill the whole buffer and differ between draws; a TTY test answers
// as Node's; and loading the run command and the vCPU's modules (what each
// thread of a run loads at its start) loads neither node:crypto nor node:tty.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { fillRandom, hostIsatty } from '../../../src/host/on-demand-builtins.js';

t.test('fillRandom fills every byte, differently each time', async (t) => {
  const a = new Uint8Array(16);
  const b = new Uint8Array(16);
  fillRandom(a);
  fillRandom(b);
  t.not(Buffer.from(a).toString('hex'), Buffer.from(b).toString('hex'), 'two draws differ');
  const big = new Uint8Array(new SharedArrayBuffer(1 << 20)); // guest memory is shared
  fillRandom(big);
  const seen = new Set(big);
  t.equal(seen.size, 256, 'a MiB holds every byte value');
  t.ok(big.subarray(big.length - 64).some((x) => x !== 0), 'up to its last bytes');
  fillRandom(new Uint8Array(0));
  t.pass('an empty buffer is fine');
});

t.test('hostIsatty answers as tty.isatty', async (t) => {
  for (const fd of [0, 1, 2, 99]) t.equal(hostIsatty(fd), isatty(fd), `fd ${fd}`);
});

t.test('a thread of a run loads neither node:crypto nor node:tty at its start', async (t) => {
  const modules = ['../../../src/cli/run-command.js', '../../../src/machine/vcpu-main.js']
    .map((m) => new URL(m, import.meta.url).href);
  const script = `const before = new Set(process.moduleLoadList);
for (const m of ${JSON.stringify(modules)}) await import(m);
console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  t.equal(r.status, 0, `the modules load (${r.stderr.slice(0, 300)})`);
  const added = JSON.parse(r.stdout) as string[];
  t.ok(added.includes('NativeModule worker_threads'), 'the list is the one the imports filled (node:worker_threads among the loaded)');
  for (const m of ['NativeModule crypto', 'NativeModule tty']) t.notOk(added.includes(m), `not ${m}`);
});
