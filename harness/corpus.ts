// The real-program corpus (issue 15): Debian armel programs and their
// libraries, unpacked by scripts/fetch-corpus.sh into a cache folder outside
// the repository (.ci/run fetches it), and the amd64 builds of the same
// versions as native peers. Tests skip visibly without it; nothing here is
// committed.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from './seeded-random.js';

export const CORPUS_MISSING = 'the Debian corpus is not fetched (sh scripts/fetch-corpus.sh, as root the first time)';

/** ${MTTCG_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mttcg-lab}, as the fetch script computes it. */
export function cacheDir(): string {
  return process.env.MTTCG_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mttcg-lab');
}

export type CorpusArch = 'armel' | 'armhf';

export interface Corpus {
  readonly root: string;
  /** The ARM sysroot (armel or armhf): -L for mttcg and qemu-arm. */
  readonly sysroot: string;
  /** The amd64 tree of the same versions, or null (a host that is not amd64). */
  readonly amd64: string | null;
  /** Package -> Debian version in the sysroot, from ARCH.manifest. */
  readonly versions: ReadonlyMap<string, string>;
}

function readManifest(file: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [pkg, version] = line.split(' ');
    if (!line.startsWith('#') && pkg && version) versions.set(pkg, version);
  }
  return versions;
}

/** The fetched corpus of one ARM architecture (sh scripts/fetch-corpus.sh ARCH), or null. */
export function findCorpus(arch: CorpusArch = 'armel'): Corpus | null {
  const root = join(cacheDir(), 'corpus');
  const manifest = join(root, `${arch}.manifest`);
  if (!existsSync(manifest)) return null;
  const amd64 = join(root, 'amd64');
  return {
    root, sysroot: join(root, arch), amd64: existsSync(join(root, 'amd64.manifest')) ? amd64 : null, versions: readManifest(manifest),
  };
}

/** Debian's static busybox in the corpus sysroot (bin/busybox, its applets linked to it), or null. */
export function corpusBusybox(arch: CorpusArch = 'armel'): string | null {
  const c = findCorpus(arch);
  const p = c ? join(c.sysroot, 'bin', 'busybox') : '';
  return c && existsSync(p) ? p : null;
}

/** A command that runs an amd64 program of the corpus with the corpus's own libraries (nothing installed). */
export function nativeCommand(c: Corpus, program: string): { file: string; prefix: string[] } | null {
  if (!c.amd64) return null;
  const libs = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu'].map((d) => join(c.amd64!, d));
  const ld = join(libs[0]!, 'ld-linux-x86-64.so.2');
  const exe = join(c.amd64, program);
  if (!existsSync(ld) || !existsSync(exe)) return null;
  return { file: ld, prefix: ['--library-path', libs.join(':'), exe] };
}

const WORDS = [
  'the', 'atomic', 'compare', 'exchange', 'store', 'exclusive', 'monitor', 'translation', 'block', 'guest',
  'host', 'thread', 'memory', 'barrier', 'lock', 'value', 'cache', 'page', 'mttcg', 'qemu', 'arm', 'load',
];

/**
 * A compressible, reproducible input of `bytes` bytes written to `path`:
 * lines of words and numbers from a seeded generator (compressors find
 * structure in it, as in text, and every run sees the same bytes).
 */
export function writeCorpusInput(path: string, bytes: number, seed = 15): string {
  const rnd = new SeededRandom(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const n = rnd.between(3, 12);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(rnd.below(8) === 0 ? String(rnd.next() % 100000) : WORDS[rnd.below(WORDS.length)]!);
    const line = `${words.join(' ')}\n`;
    parts.push(line);
    size += line.length;
  }
  writeFileSync(path, parts.join('').slice(0, bytes));
  return path;
}
