// The guest address space under churn (issues 13 item 4 and 23 item 4):
// threads that map, protect and unmap their own pages beside running code,
// store data beside translated code on one page, and generate code in fresh
// pages. The output must match qemu-arm's, and the counters must show the
// page-granular design at work: pages one thread alone touched are unmapped
// without any request to another vCPU, no vCPU ever flushes its whole TLB for
// a syscall, and only the blocks on pages whose translated bytes changed
// (the generated-code pages) are invalidated; a store beside code is not a
// code change. The counts are exact or bounded by the program's own numbers.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, guestElf, qemuAvailable, QEMU_MISSING, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

const CHURN = join(ROOT, 'bench', 'guest', 'mmap-churn.elf');

interface Stats {
  readonly totals: Record<string, number>;
  readonly threads: Record<string, number>[];
  readonly process: Record<string, number>;
}

function runWithStats(elf: string, args: readonly string[]): { stdout: string; status: number | null; stats: Stats } {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-as-'));
  try {
    const file = join(dir, 'stats.json');
    const r = spawnSync(process.execPath, [CLI, 'run', '--stats-json', file, elf, ...args], { encoding: 'utf8', timeout: 300000 });
    return { stdout: r.stdout, status: r.status, stats: JSON.parse(readFileSync(file, 'utf8')) as Stats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('mmap churn beside running code: qemu-arm\'s result, page-granular flushes and invalidations', async (t) => {
  const threads = 3;
  const iters = 400;
  const { stdout, status, stats } = runWithStats(CHURN, [String(threads), String(iters)]);
  t.equal(status, 0, 'mttcg exit status 0');
  if (qemuAvailable()) t.equal(stdout, runQemu(CHURN, [String(threads), String(iters)]).stdout, 'the same RESULT line as qemu-arm');
  else t.comment(QEMU_MISSING);
  const total = stats.totals;
  t.ok(total.syscalls! >= threads * iters * 3, `${total.syscalls} syscalls (each iteration maps, protects and unmaps)`);
  t.equal(stats.process.tlbFlushRequests, 0, 'no cross-vCPU TLB flush request: every changed page had been touched by one thread only');
  t.equal(total.flushRequestsServed, 0, 'no vCPU served a flush request');
  // Each vCPU flushes its whole TLB only where a range was too big for page flushes (glibc's stack set-up).
  t.ok(total.tlbFullFlushes! <= 2 * (threads + 1), `${total.tlbFullFlushes} full TLB flushes in all (not one per syscall)`);
  const jitPages = threads * Math.ceil(iters / 8);
  t.ok(total.tbsInvalidated! <= jitPages, `${total.tbsInvalidated} blocks invalidated: at most one per generated-code page (${jitPages})`);
  t.equal(total.codePageWrites, 0, 'no store changed translated code (the stores beside the code did not count as code writes)');
});

t.test('--memory limits the frames a guest touches, not the address space it maps', async (t) => {
  const layout = guestElf('conf-mmap-layout');
  const small = runMttcg(layout, [], ['--memory', '16']);
  t.equal(small.status, 0, 'maps 3.4 GiB and 8 threads x 8 MiB of stacks under --memory 16');
  if (qemuAvailable()) t.equal(small.stdout, runQemu(layout).stdout, 'at qemu-arm\'s addresses');
  const touch = guestElf('err-touch');
  const over = runMttcg(touch, ['64'], ['--memory', '16']);
  t.equal(over.status, 137, 'touching 64 MiB under --memory 16: exit 137');
  t.match(over.stderr, /guest memory exhausted \(16 MiB\); run with a larger --memory/);
  const fits = runMttcg(touch, ['64'], ['--memory', '128']);
  t.equal(fits.status, 0, 'and under --memory 128 it fits');
  t.equal(fits.stdout, 'touched 64 MiB\n');
});
