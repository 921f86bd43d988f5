// Bundles what `mttcg run` loads (cold start, docs/translator.md): the run
// command and the vCPU worker, from the tsc output into dist/bundle/. Node's
// ESM loader costs about a third of a millisecond of CPU per module
// (resolve, open, read, link), and a worker imports ~175 of them; bundled,
// each thread loads one script. Each bundle is a CommonJS script
// (NAME.cjs) run through V8's code cache by src/host/code-cache.ts (bundled
// on its own as code-cache.cjs), started by a small CommonJS entry of the old
// name (NAME.js; dist/bundle/package.json makes .js CommonJS there): the CLI
// requires run-command.js, and the worker URL the run command names
// (`./vcpu-worker.js` beside the module that names it) resolves to the
// worker's entry inside dist/bundle/ as it does inside dist/src/machine/. A
// CommonJS entry spares each worker Node's ES module loader (about 5 ms of
// CPU per thread). run-main.js is `mttcg run` whole (src/cli/run-main.ts),
// which bin/mttcg starts instead of dist/src/cli/main.js, so that the main
// thread too starts without the ES module loader; its entry first starts the
// first vCPU's worker (early-worker.cjs), before it loads the run command. The entry passes the bundle's content hash, which names
// its cache file.
//
// Without esbuild (a devDependency) nothing is bundled and the CLI loads the
// tsc output as before; MTTCG_NO_BUNDLE=1 makes the CLI ignore the bundle.

import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const outdir = new URL('bundle/', dist);
rmSync(outdir, { recursive: true, force: true });

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('bundle: esbuild is not installed; mttcg run loads the unbundled modules (slower start)');
  process.exit(0);
}

/** Each bundle, and whether its entry exports the bundle's exports (else it runs for its effect). */
const ENTRIES = { 'run-command': true, 'vcpu-worker': false, 'run-main': false };

await esbuild.build({
  entryPoints: {
    'run-command': new URL('src/cli/run-command.js', dist).pathname,
    'vcpu-worker': new URL('src/machine/vcpu-worker.js', dist).pathname,
    // `mttcg run` as bin/mttcg starts it: main.js's work for that one command, without its ES modules.
    'run-main': new URL('src/cli/run-main.js', dist).pathname,
    'code-cache': new URL('src/host/code-cache.js', dist).pathname,
    'early-worker': new URL('src/machine/early-worker.js', dist).pathname,
  },
  outdir: outdir.pathname,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  define: { 'import.meta.url': '__mttcgBundleUrl' },
  sourcemap: true,
  logLevel: 'warning',
});

writeFileSync(new URL('package.json', outdir), '{ "type": "commonjs" }\n');

/**
 * `import * as fs from 'node:fs'` becomes `__toESM(require("node:fs"), 1)`
 * in a CommonJS bundle: a new object with a getter for each of the module's
 * ~100 properties, at every import site (20 in the worker's bundle, about
 * 0.1 ms each, at every thread's start). Where the bundle never reads the
 * namespace's `default`, the Node module itself serves the same property
 * reads: such a site takes it as it is.
 */
function plainBuiltinNamespaces(name) {
  const file = new URL(`${name}.cjs`, outdir);
  const source = readFileSync(file, 'utf8');
  const out = source.replace(/^var (\w+) = __toESM\(require\("(node:[\w/]+)"\), 1\);$/gm, (site, v, mod) =>
    new RegExp(`\\b${v}\\.default\\b`).test(source) ? site : `var ${v} = require("${mod}");`);
  if (out !== source) writeFileSync(file, out);
}
for (const name of Object.keys(ENTRIES)) plainBuiltinNamespaces(name);
/**
 * esbuild escapes every non-ASCII character in code, but keeps a few
 * comments that have some (an em dash). One such character makes Node's
 * UTF-8 decoder return the whole source (750 KB) as a two-byte string
 * instead of its ASCII fast path: 1-4 ms more at each thread's load, and a
 * source twice the size for V8 to hash and parse. A \u escape means the same
 * character in a string, a template, a regular expression or an
 * identifier, and nothing in a comment, so every bundle is made pure ASCII.
 */
function asciiOnly(name) {
  const file = new URL(`${name}.cjs`, outdir);
  const source = readFileSync(file, 'utf8');
  const out = source.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  if (out !== source) writeFileSync(file, out);
}
for (const name of [...Object.keys(ENTRIES), 'code-cache', 'early-worker']) asciiOnly(name);
/**
 * What run-main.js does before its bundle: starts the first vCPU's worker
 * (src/machine/early-worker.ts, a small bundle of its own, without the code
 * cache), so that the worker's start overlaps the run command's load.
 */
const EARLY_WORKER = "require('./early-worker.cjs').startEarlyWorker(require('node:url').pathToFileURL(__dirname + '/vcpu-worker.js'));\n";

for (const [name, exports] of Object.entries(ENTRIES)) {
  const source = readFileSync(new URL(`${name}.cjs`, outdir));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const run = `require('./code-cache.cjs').runCachedBundle(require('node:url').pathToFileURL(__dirname + '/${name}.cjs'), '${hash}')`;
  writeFileSync(new URL(`${name}.js`, outdir),
    `// Generated by scripts/bundle.mjs: runs ${name}.cjs through V8's code cache.\n` +
    (name === 'run-main' ? EARLY_WORKER : '') +
    `${exports ? 'module.exports = ' : ''}${run};\n`);
}
