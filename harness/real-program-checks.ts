// The differential checks on real programs (issue 15 item 3), shared by the
// fast test (test/real-programs.test.ts: pigz and make -j2 under the default strategy)
// and the acceptance matrix (test/acceptance/real-programs.test.ts: every
// compressor, both directions, under every strategy that claims correctness,
// and busybox's applets in a shell script).

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { findCorpus, writeCorpusInput, CORPUS_MISSING } from './corpus.js';
import { qemuAvailable, QEMU_MISSING, ROOT } from './guest-runner.js';
import {
  busyboxPipelines, pipelineScript, runMttcgProgram, runPipelinesUnderQemu, runQemuProgram, type Compressor,
} from './real-programs.js';

/** Why real-program tests cannot run here, or false. */
export function realProgramsSkip(): string | false {
  if (!findCorpus()) return CORPUS_MISSING;
  return qemuAvailable() ? false : QEMU_MISSING;
}

/** A scratch directory with the fixed input (`bytes` of seeded text) as input.txt; removed at teardown. */
export function scratchWithInput(t: Test, bytes: number): { dir: string; input: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-real-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeCorpusInput(join(dir, 'input.txt'), bytes);
  return { dir, input: 'input.txt' };
}

/**
 * c compresses the input under mttcg (strategy options `opts`) into the same
 * bytes as under qemu-arm; mttcg decompresses qemu-arm's output back to the
 * input, as qemu-arm does.
 */
export function checkCompressor(t: Test, c: Compressor, threads: number, dir: string, input: string, opts: readonly string[]): void {
  const sysroot = findCorpus()!.sysroot;
  const label = `${c.name} ${threads} threads ${opts.join(' ') || '(default strategy)'}`;
  const spec = (args: string[]) => ({ sysroot, program: c.program, args, dir });
  const q = runQemuProgram(spec(c.compress(threads, input)));
  t.equal(q.status, 0, `${label}: qemu-arm compresses (${q.stderr.trim()})`);
  const m = runMttcgProgram(spec(c.compress(threads, input)), opts);
  t.equal(m.status, 0, `${label}: mttcg compresses (${m.stderr.trim()})`);
  t.ok(m.stdout.length > 0 && m.stdout.equals(q.stdout), `${label}: compressed bytes identical (${m.stdout.length} and ${q.stdout.length} bytes)`);
  const packed = `packed${c.suffix}`;
  writeFileSync(join(dir, packed), q.stdout);
  const md = runMttcgProgram(spec(c.decompress(threads, packed)), opts);
  t.equal(md.status, 0, `${label}: mttcg decompresses (${md.stderr.trim()})`);
  t.ok(md.stdout.equals(readFileSync(join(dir, input))), `${label}: decompressed bytes are the input (${md.stdout.length} bytes)`);
  const qd = runQemuProgram(spec(c.decompress(threads, packed)));
  t.ok(md.stdout.equals(qd.stdout), `${label}: as qemu-arm decompresses them`);
}

/** busybox sort/uniq/md5sum/gzip/sed/awk pipelines: one guest shell script under mttcg, stage by stage under qemu-arm. */
export function checkBusyboxScript(t: Test, dir: string, input: string, opts: readonly string[]): void {
  const sysroot = findCorpus()!.sysroot;
  const pipelines = busyboxPipelines(input);
  const q = runPipelinesUnderQemu(join(sysroot, 'bin', 'busybox'), dir, pipelines);
  t.equal(q.status, 0, `qemu-arm runs the stages (${q.stderr.trim()})`);
  const m = runMttcgProgram({ sysroot, program: 'bin/busybox', args: ['sh', '-c', pipelineScript(pipelines)], dir }, opts);
  t.equal(m.status, 0, `busybox sh under mttcg ${opts.join(' ')} (${m.stderr.trim()})`);
  t.equal(m.stdout.toString(), q.stdout.toString(), `busybox script ${opts.join(' ')}: stdout as the stages under qemu-arm`);
}

/** test/fixtures/make-j2/Makefile: two jobs that only say "ran beside" when make runs them at once. */
const MAKE_J2 = join(ROOT, 'test', 'fixtures', 'make-j2', 'Makefile');

/**
 * The corpus's GNU make runs the fixture's Makefile with `makeArgs` (-j2)
 * under mttcg (strategy options `opts`; its recipes in the sysroot's busybox
 * sh) and under qemu-arm (its recipes in the host's sh): the same stdout and
 * exit status, and both jobs ran beside each other.
 */
export function checkMakeJobs(t: Test, makeArgs: readonly string[], opts: readonly string[]): void {
  const sysroot = findCorpus()!.sysroot;
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-make-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(MAKE_J2, join(dir, 'Makefile'));
  const spec = (args: readonly string[]) => ({ sysroot, program: 'usr/bin/make', args, dir });
  const label = `make ${makeArgs.join(' ')} ${opts.join(' ') || '(default strategy)'}`;
  const q = runQemuProgram(spec(makeArgs));
  t.equal(q.status, 0, `${label}: qemu-arm (${q.stderr.trim()})`);
  t.match(q.stdout.toString(), /a: ran beside b\nb: ran beside a\n/, `${label}: under qemu-arm both jobs ran at once`);
  t.equal(runQemuProgram(spec(['clean'])).status, 0, 'make clean');
  const m = runMttcgProgram(spec(makeArgs), opts);
  t.equal(m.status, 0, `${label}: mttcg (${m.stderr.trim()})`);
  t.equal(m.stdout.toString(), q.stdout.toString(), `${label}: stdout as under qemu-arm`);
}
