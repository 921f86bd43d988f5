// Rewrites test/golden/emitted-js/<tb>/*.js (`npm run golden:update`). Run it
// after an intended change of the translator, the IR passes or the emitter;
// review the diff of those files before committing them.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitGoldenTb, GOLDEN_DIR, GOLDEN_TBS, goldenDir, goldenFileName, loweringOf, strategiesOf } from './golden-tbs.js';

rmSync(GOLDEN_DIR, { recursive: true, force: true });
for (const tb of GOLDEN_TBS) {
  const bySource = new Map<string, string[]>();
  for (const strategy of strategiesOf(tb)) {
    const source = emitGoldenTb(tb, loweringOf(strategy));
    bySource.set(source, [...(bySource.get(source) ?? []), strategy]);
  }
  mkdirSync(goldenDir(tb), { recursive: true });
  for (const [source, strategies] of bySource) {
    const file = join(goldenDir(tb), goldenFileName(strategies));
    writeFileSync(file, source);
    process.stdout.write(`${file}\n`);
  }
}
