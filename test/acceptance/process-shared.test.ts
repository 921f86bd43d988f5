// The process torture case under every strategy (issue 22 item 3): two
// child processes and their parent contend on a MAP_SHARED page (LDREX/STREX,
// kuser cmpxchg, a process-shared mutex over futexes). Several runs per
// strategy, so it lives with the acceptance repeats.

import { join } from 'node:path';
import t from 'tap';
import { ROOT, runMttcg } from '../../harness/guest-runner.js';

const elf = (name: string): string => join(ROOT, 'torture-tests', 'process', `${name}.elf`);

t.test('two processes contending on a MAP_SHARED counter and lock: every strategy keeps its guarantee', async (t) => {
  // unsafe guarantees nothing (it may lose updates); the others must count every one.
  for (const strategy of ['cmpxchg', 'stop-the-world', 'aie', 'tlbexcl', 'unsafe']) {
    const r = runMttcg(elf('proc-shared'), ['5000'], ['--strategy', strategy]);
    t.match(r.stdout, /ldrex\/strex \d+, kuser cmpxchg \d+, process-shared mutex \d+/, `${strategy}: ran to the end`);
    if (strategy !== 'unsafe') t.equal(r.status, 0, `${strategy}: every update counted (${r.stdout.trim()})`);
  }
});
