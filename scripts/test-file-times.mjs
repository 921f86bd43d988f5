// What each test file costs: runs the built test files one at a time (node
// <file>, no tap runner around it) under /usr/bin/time and prints a markdown
// table, heaviest CPU first: wall seconds, CPU seconds (user + sys of the file
// and every process it waited for: mttcg, qemu-arm, make), its exit status,
// and the load average before and after. Each file runs as tap's runner
// would run it (package.json's per-file time limit) but without the runner's
// preloads. The fast suite's budget (docs/testing.md) is checked with it;
// run it after `npm run build`:
//
//   node scripts/test-file-times.mjs                 # the fast suite (npm test's files)
//   node scripts/test-file-times.mjs --acceptance    # test/acceptance
//   node scripts/test-file-times.mjs dist/test/x.test.js ...
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';
const TIMEOUT_S = JSON.parse(readFileSync('package.json', 'utf8')).tap?.timeout ?? 420;

/** Every *.test.js under dir (recursively when deep), sorted. */
function testFiles(dir, deep) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && deep) out.push(...testFiles(p, true));
    else if (e.isFile() && e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

function chosenFiles(args) {
  if (args.includes('--acceptance')) return testFiles('dist/test/acceptance', false);
  const named = args.filter((a) => !a.startsWith('--'));
  if (named.length > 0) return named;
  // The same files as package.json's "test" script.
  return [
    ...testFiles('dist/test', false),
    ...testFiles('dist/test/unit', true),
    ...testFiles('dist/test/strategies', true),
    ...testFiles('dist/test/protocols', true),
  ];
}

function load() {
  return loadavg().map((x) => x.toFixed(2)).join(' ');
}

if (!existsSync(TIME)) {
  console.error(`test-file-times: needs ${TIME} (Debian package "time")`);
  process.exit(2);
}
const files = chosenFiles(process.argv.slice(2));
if (files.length === 0) {
  console.error('test-file-times: no test files (run npm run build first)');
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'test-file-times-'));
const rows = [];
const loadBefore = load();
const started = Date.now();
for (const file of files) {
  const timing = join(scratch, 'time.txt');
  const r = spawnSync(TIME, ['-f', '%e %U %S', '-o', timing, process.execPath, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
    // A file run alone gets tap's 30 s default; the runner gives it package.json's limit.
    env: { ...process.env, TAP_TIMEOUT: String(TIMEOUT_S) },
  });
  const [wall, user, sys] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  const tap = r.stdout.toString();
  const failed = (tap.match(/^\s*not ok /gm) ?? []).length;
  rows.push({ file, wall, cpu: user + sys, status: r.status, failed });
  process.stderr.write(`${file}: ${wall.toFixed(1)} s wall, ${(user + sys).toFixed(1)} s CPU, exit ${r.status}\n`);
}
rmSync(scratch, { recursive: true, force: true });
const loadAfter = load();

rows.sort((a, b) => b.cpu - a.cpu);
const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
console.log(`| file | wall s | CPU s | exit | not ok |`);
console.log(`|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.file} | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${r.status} | ${r.failed} |`);
console.log(`| **${rows.length} files** | ${sum('wall').toFixed(0)} | ${sum('cpu').toFixed(0)} | | ${sum('failed')} |`);
console.log('');
console.log(`one file at a time, ${((Date.now() - started) / 1000).toFixed(0)} s in all; nproc ${cpus().length}; ` +
  `load average (1, 5, 15 min) before: ${loadBefore}, after: ${loadAfter}`);
