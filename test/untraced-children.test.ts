// The children a test starts (mttcg, and any other node process) run without
// tap's @tapjs/processinfo module hook, which would about double their CPU
// time (test/helpers/untraced-children.ts, installed by the preload that
// package.json's tap.node-arg names); their other NODE_OPTIONS stay. Fails
// when the preload is left out of tap's node-arg: the child then reports
// processinfo's --import.

import { spawnSync } from 'node:child_process';
import t from 'tap';
import { withoutProcessInfo } from './helpers/untraced-children.js';

const PRINT_OPTIONS = 'process.stdout.write(process.env.NODE_OPTIONS ?? "")';

t.test('only processinfo\'s import leaves NODE_OPTIONS', async (t) => {
  const pi = '"--import=file:///x/node_modules/@tapjs/processinfo/dist/esm/import.mjs"';
  t.equal(withoutProcessInfo(`--max-old-space-size=200 ${pi}`), '--max-old-space-size=200');
  t.equal(withoutProcessInfo(pi), '');
  t.equal(withoutProcessInfo('--import=./other.js --no-warnings'), '--import=./other.js --no-warnings');
});

t.test('a child of a test process loads no processinfo, and keeps its own NODE_OPTIONS', async (t) => {
  // Not installed here: tap's node-arg must have done it (else this test fails under tap).
  const underTap = Symbol.for('process-on-spawn@*:singletonId') in globalThis;
  t.comment(underTap ? 'under tap: the spawn hook is there' : 'not under tap: no spawn hook, nothing to take out');
  const plain = spawnSync(process.execPath, ['-e', PRINT_OPTIONS], { encoding: 'utf8' });
  t.notMatch(plain.stdout, /processinfo/, `inherited environment: NODE_OPTIONS is "${plain.stdout}"`);
  const own = spawnSync(process.execPath, ['-e', PRINT_OPTIONS], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' } });
  t.notMatch(own.stdout, /processinfo/, 'an environment of its own: no processinfo either');
  t.match(own.stdout, /--max-old-space-size=300/, 'and the child\'s own option is kept');
});
