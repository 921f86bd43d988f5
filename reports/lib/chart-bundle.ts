// The Chart.js UMD bundle, read from the installed package so the HTML page
// can carry it inline and be read offline. chart.js 4 ships it as
// dist/chart.umd.js (older 4.x also as chart.umd.min.js).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const CANDIDATES = ['chart.umd.js', 'chart.umd.min.js'];

export function chartJsBundle(): { readonly source: string; readonly version: string } {
  const require = createRequire(import.meta.url);
  // 'chart.js' resolves to dist/chart.cjs under require; the UMD bundle sits beside it.
  const dist = dirname(require.resolve('chart.js'));
  const file = CANDIDATES.map((f) => join(dist, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`Chart.js UMD bundle not found in ${dist} (looked for ${CANDIDATES.join(', ')}); run npm install`);
  const pkg = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version?: string };
  const source = readFileSync(file, 'utf8');
  // The bundle goes inside <script>; a literal "</script" would end the element early.
  if (/<\/script/i.test(source)) throw new Error(`${file} contains "</script", which cannot be inlined`);
  return { source, version: pkg.version ?? 'unknown' };
}
