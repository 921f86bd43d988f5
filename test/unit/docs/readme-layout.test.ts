// The README's layout table names every folder of the repository that holds
// files (a row may name several, and `<area>` stands for any one folder), so
// a new folder cannot appear without a line saying what it is. Only the
// folders of data rows (golden files per TB, example reports, fixtures) are
// covered by their parent's row.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { ROOT } from '../../../harness/guest-runner.js';

/** Rows whose subfolders are data described by the row itself. */
const DATA_ROWS = ['test/golden/emitted-js', 'reports/examples', 'test/fixtures'];

/** Not part of the repository's own layout: build output, installs, tool state, local results. */
const IGNORED = new Set(['node_modules', 'dist', '.git', '.tap', 'out', 'tmp']);

function foldersWithFiles(dir: string, out: string[]): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (dir !== ROOT && entries.some((e) => e.isFile())) out.push(relative(ROOT, dir));
  for (const e of entries) {
    if (e.isDirectory() && !IGNORED.has(e.name) && !(e.name.startsWith('.') && e.name !== '.ci')) {
      foldersWithFiles(join(dir, e.name), out);
    }
  }
  return out;
}

function layoutPaths(readme: string): RegExp[] {
  const section = readme.slice(readme.indexOf('## Layout'));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  const paths = rows.flatMap((r) => [...r.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  return paths.map((p) => {
    const exact = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<area>', '[^/]+');
    return new RegExp(`^${exact}${DATA_ROWS.includes(p) ? '(/.*)?' : ''}$`);
  });
}

t.test('every folder with files is in the README layout table', async (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  t.ok(existsSync(join(ROOT, 'README.md')));
  const listed = layoutPaths(readme);
  t.ok(listed.length > 10, `the table lists ${listed.length} paths`);
  const missing = foldersWithFiles(ROOT, []).filter((f) => !listed.some((re) => re.test(f)));
  t.same(missing, [], 'folders the layout table does not name');
});
