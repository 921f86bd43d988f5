// Runs a bundled script (scripts/bundle.mjs: dist/bundle/*.cjs) through V8's
// code cache (cold start, docs/translator.md). Without a cache V8 parses the
// whole bundle at load and compiles each function to bytecode the first time
// it runs, in every vCPU worker of every run; with one, it deserialises the
// bytecode of every function an earlier run compiled, so a run starts with
// the translator, the interpreter and the syscalls it will use compiled.
//
// The cache is one file per bundle, V8 build and V8 flags, named after the
// bundle's content hash (written by the build beside its name), in
// dist/bundle/v8-cache/ (made at run time; the build's clean removes it) or
// in $MTTCG_CODE_CACHE; MTTCG_CODE_CACHE=off compiles without it. A run that
// found no usable cache writes one when its guest has ended (saveCodeCaches),
// so that it holds what a whole run compiled; it writes a temporary file and
// renames it, so concurrent runs never read half a cache. V8 checks the
// cache's own version, flags and source length, and rejects a mismatch (the
// run then compiles as if there were none and writes a new one). A cache
// that cannot be written (a read-only installation) only costs the speed.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { coldMark } from './cold-trace.js';

export const CODE_CACHE_ENV = 'MTTCG_CODE_CACHE';

/** How a bundle was compiled (its cold-trace mark says which). */
export type CodeCacheUse = 'off' | 'used' | 'absent' | 'rejected';

interface Pending {
  readonly script: Script;
  readonly file: string;
}

/**
 * This thread's state, on the global object: the bundle that calls
 * saveCodeCaches carries its own copy of this module, which must see the
 * scripts the loader's copy ran.
 */
interface CacheState {
  readonly pending: Pending[];
}
const STATE = Symbol.for('mttcg-lab.code-cache');
const state: CacheState = ((globalThis as Record<symbol, unknown>)[STATE] ??= { pending: [] }) as CacheState;
const { pending } = state;

/** A short FNV-1a hash of a string, for a cache file's name (flags, Node's version; solo-hint.ts's program key). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The code cache's directory for the bundle at `bundleFile` ($MTTCG_CODE_CACHE, or v8-cache/ beside it), or null when off. */
export function cacheDir(bundleFile: string): string | null {
  const setting = process.env[CODE_CACHE_ENV];
  if (setting === 'off' || setting === '0') return null;
  return setting || join(dirname(bundleFile), 'v8-cache');
}

/**
 * Runs the CommonJS bundle at `url` (content hash `hash`, from the build) in
 * this thread and returns its exports. `import.meta.url` inside it is the
 * bundle's own URL (the build defines it as __mttcgBundleUrl).
 */
export function runCachedBundle(url: URL, hash: string): Record<string, unknown> {
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname, __mttcgBundleUrl) {${source}\n})`;
  const dir = cacheDir(file);
  const name = file.slice(dirname(file).length + 1).replace(/\.cjs$/, '');
  // MTTCG_SOLO: with the solo phase (machine/solo-phase.ts) the main thread runs the translator too, and its
  // cache must hold it; a run without (MTTCG_SOLO=0) keeps its own, so that neither writes the other's.
  const variant = `${process.version} ${process.arch} ${process.execArgv.join(' ')} solo=${process.env.MTTCG_SOLO ?? ''}`;
  const cacheFile = dir === null ? null : join(dir, `${name}-${hash}-${shortHash(variant)}.v8`);
  let cachedData: Buffer | undefined;
  if (cacheFile !== null) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // none yet: this run writes it
    }
  }
  const script = new Script(wrapped, { filename: file, cachedData });
  const use: CodeCacheUse = cacheFile === null ? 'off' : cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  if (cacheFile !== null && use !== 'used') pending.push({ script, file: cacheFile });
  const module = { exports: {} as Record<string, unknown> };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn(module.exports, createRequire(file), module, file, dirname(file), url.href);
  coldMark(`${name} bundle evaluated (code cache ${use})`);
  return module.exports;
}

/**
 * Writes `data` to `file` through a temporary file and a rename, so that a
 * concurrent run never reads half of it (the directories made as needed).
 * Throws as the file system does.
 */
export function writeWhole(file: string, data: string | NodeJS.ArrayBufferView): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * Writes the code cache of each bundle this thread ran without a usable
 * one, with the bytecode of every function compiled so far. Call it once the
 * work worth caching has run (the guest's end). Never throws.
 */
export function saveCodeCaches(): void {
  for (const p of pending.splice(0)) {
    try {
      writeWhole(p.file, p.script.createCachedData());
    } catch {
      // a read-only installation: runs compile without a cache
    }
  }
}
