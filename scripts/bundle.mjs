// Bundles what `mttcg run` loads (cold start, docs/translator.md): the run
// command and the vCPU worker, from the tsc output into dist/bundle/, with
// the code they share in common chunks. Node's ESM loader costs about a
// third of a millisecond of CPU per module (resolve, open, read, link), and
// a worker imports ~175 of them: bundled, a worker's start-up imports a few.
// The bundle is the same compiled JavaScript, only fewer files; the run
// command's worker URL (`./vcpu-worker.js` beside the module that names it)
// resolves inside dist/bundle/ as it does inside dist/src/machine/.
//
// Without esbuild (a devDependency) nothing is bundled and the CLI loads the
// tsc output as before; MTTCG_NO_BUNDLE=1 makes the CLI ignore the bundle.

import { rmSync } from 'node:fs';

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

await esbuild.build({
  entryPoints: {
    'run-command': new URL('src/cli/run-command.js', dist).pathname,
    'vcpu-worker': new URL('src/machine/vcpu-worker.js', dist).pathname,
  },
  outdir: outdir.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
