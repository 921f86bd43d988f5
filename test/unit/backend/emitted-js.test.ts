// The JavaScript emitted for a few TBs under every strategy is what the
// committed golden files say (harness/golden-tbs.ts). An intended change of
// the front end, the IR passes or the emitter: `npm run golden:update`, then
// review the diff of test/golden/emitted-js/.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CORE_BINDINGS } from '../../../src/emulator/backend/js-names.js';
import { emitGoldenTb, GOLDEN_TBS, goldenDir, loweringOf, strategiesOf } from '../../../harness/golden-tbs.js';

for (const tb of GOLDEN_TBS) {
  t.test(tb.name, async (t) => {
    const dir = goldenDir(tb);
    const files = existsSync(dir) ? readdirSync(dir) : [];
    for (const strategy of strategiesOf(tb)) {
      const file = files.find((f) => f.replace(/\.js$/, '').split('+').includes(strategy));
      t.ok(file, `${strategy}: a golden file in ${dir} names it (npm run golden:update writes them)`);
      if (!file) continue;
      const source = emitGoldenTb(tb, loweringOf(strategy));
      t.equal(source, readFileSync(join(dir, file), 'utf8'), `${strategy}: emitted JavaScript equals ${tb.name}/${file} (intended change: npm run golden:update)`);
      const names = [...CORE_BINDINGS, ...Object.keys(loweringOf(strategy).bindings)];
      t.doesNotThrow(() => new Function(...names, source), `${strategy}: it compiles`);
    }
  });
}
