// Real programs of the Debian corpus (harness/corpus.ts) run under mttcg and
// qemu-arm with the same sysroot (-L), the same environment and the same
// input file, their stdout compared byte for byte (issue 15 item 3). Shared
// by the differential tests (test/real-programs.test.ts and its acceptance
// matrix) and the real-workload benchmark (bench/real/).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, GUEST_ENV } from './guest-runner.js';

/** One program run: stdout as bytes (compressed data), stderr as text. */
export interface ProgramRun {
  readonly stdout: Buffer;
  readonly stderr: string;
  /** Exit status as a shell reports it (128 + signal number for a signal death, 124 for our timeout). */
  readonly status: number;
}

/** One compressor of the corpus: how to compress to stdout, how to decompress to stdout, with `threads` threads. */
export interface Compressor {
  readonly name: string;
  /** Path of the program inside the sysroot. */
  readonly program: string;
  compress(threads: number, file: string): string[];
  decompress(threads: number, file: string): string[];
  /** The file's suffix for compressed data. */
  readonly suffix: string;
}

export const COMPRESSORS: readonly Compressor[] = [
  {
    name: 'pigz', program: 'usr/bin/pigz', suffix: '.gz',
    // pigz compresses 128 KiB blocks on its threads; -d inflates on one and checks on another.
    compress: (n, f) => ['-p', String(n), '-c', f],
    decompress: (n, f) => ['-p', String(n), '-d', '-c', f],
  },
  {
    name: 'xz', program: 'usr/bin/xz', suffix: '.xz',
    // Blocks of 128 KiB so that a small input has several for the threads (xz 5.4 decompresses them in parallel too).
    compress: (n, f) => [`-T${n}`, '--block-size=128KiB', '-c', f],
    decompress: (n, f) => [`-T${n}`, '-d', '-c', f],
  },
  {
    name: 'zstd', program: 'usr/bin/zstd', suffix: '.zst',
    // -T2 starts a worker pool even for a small input; zstd decompresses on one thread.
    compress: (n, f) => ['-q', `-T${n}`, '-c', f],
    decompress: (n, f) => ['-q', `-T${n}`, '-d', '-c', f],
  },
];

const SIGNALS: Record<string, number> = { SIGILL: 4, SIGABRT: 6, SIGBUS: 7, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };

function toRun(r: ReturnType<typeof spawnSync>): ProgramRun {
  const status = r.error ? 124 : r.status ?? 128 + (SIGNALS[r.signal ?? ''] ?? 0);
  return { stdout: Buffer.from(r.stdout ?? ''), stderr: String(r.stderr ?? ''), status };
}

export interface RunSpec {
  readonly sysroot: string;
  /** Program path inside the sysroot, and its arguments. */
  readonly program: string;
  readonly args: readonly string[];
  /** The guest's working directory, and the directory it may write (--allow-dir). */
  readonly dir: string;
  readonly timeoutMs?: number;
}

/** Under qemu-arm -L sysroot, in `dir`, with GUEST_ENV. */
export function runQemuProgram(s: RunSpec): ProgramRun {
  return toRun(spawnSync('qemu-arm', ['-L', s.sysroot, join(s.sysroot, s.program), ...s.args], {
    cwd: s.dir, env: GUEST_ENV, timeout: s.timeoutMs ?? 600000, maxBuffer: 256 << 20,
  }));
}

/** Under mttcg run -L sysroot --allow-dir dir, in `dir`, with GUEST_ENV; `options` before the program (--strategy ...). */
export function runMttcgProgram(s: RunSpec, options: readonly string[] = []): ProgramRun {
  const env = Object.entries(GUEST_ENV).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return toRun(spawnSync(process.execPath, [
    CLI, 'run', '--clean-env', ...env, '-L', s.sysroot, '--allow-dir', s.dir, ...options, join(s.sysroot, s.program), ...s.args,
  ], { cwd: s.dir, timeout: s.timeoutMs ?? 600000, maxBuffer: 256 << 20 }));
}

/** One stage of a pipeline: a busybox applet and its arguments. */
export type Stage = readonly string[];

/**
 * Pipelines over an input file using sort, md5sum, gzip, sed and awk
 * (busybox applets), each printing text: the busybox case of the
 * differential tests. Under mttcg they run as one `busybox sh -c` script
 * (the guest forks, execs and pipes); qemu-arm cannot execve an ARM program
 * (without binfmt_misc it runs the host's x86 gzip instead), so there each
 * stage is its own qemu-arm process and the host pipes them.
 */
export function busyboxPipelines(input: string): readonly (readonly Stage[])[] {
  return [
    [['sort', input], ['uniq', '-c'], ['sort', '-rn'], ['head', '-5']],
    [['md5sum', input]],
    [['gzip', '-c', input], ['md5sum']],
    [['gzip', '-c', input], ['gzip', '-d'], ['md5sum']],
    [['sed', '-n', 's/atomic \\([a-z]*\\)/A<\\1>/gp', input], ['head', '-3']],
    [['awk', '{ w += NF; c[$1]++ } END { print NR, w; for (k in c) print k, c[k] }', input], ['sort']],
  ];
}

const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;

/** The pipelines as one shell script (each pipeline's output in order). */
export function pipelineScript(pipelines: readonly (readonly Stage[])[]): string {
  return pipelines.map((p) => p.map((stage) => stage.map(quote).join(' ')).join(' | ')).join('; ');
}

/** The pipelines run stage by stage under qemu-arm (busybox APPLET ARGS), the host carrying the bytes between stages. */
export function runPipelinesUnderQemu(busybox: string, dir: string, pipelines: readonly (readonly Stage[])[]): ProgramRun {
  const out: Buffer[] = [];
  let status = 0;
  let stderr = '';
  for (const p of pipelines) {
    let data: Buffer | undefined;
    for (const stage of p) {
      const r = spawnSync('qemu-arm', [busybox, ...stage], {
        cwd: dir, env: GUEST_ENV, input: data ?? Buffer.alloc(0), timeout: 600000, maxBuffer: 256 << 20,
      });
      const run = toRun(r);
      data = run.stdout;
      status = run.status;
      stderr += run.stderr;
    }
    out.push(data ?? Buffer.alloc(0));
  }
  return { stdout: Buffer.concat(out), stderr, status };
}
