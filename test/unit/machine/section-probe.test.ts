// machine/section-probe.ts: with MTTCG_SECTION_PROBE a run writes the
// counters at each read of a guest thread's CPU clock; a benchmark guest's
// timed section is its thread's last three reads: start, the contended
// window's note, end (bench/guest/bench.h).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseProbeRecords, sectionGrowth, timedSections } from '../../../bench/lib/section-growth.js';
import { CLI, ROOT } from '../../../bench/lib/peers.js';
import { coresBusyMs } from '../../../src/machine/section-probe.js';

const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const linux = process.platform === 'linux';

function run(env: NodeJS.ProcessEnv, units: number): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [CLI, 'run', elf, '1', String(units)], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

t.test('a probed run: six reads on the worker thread, the timed section twice the warm-up', { skip: !linux && 'Linux only' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'p.jsonl');
  // A 1 MiB young generation makes the warm-up's garbage collections certain
  // (with the default 16 MiB a warm-up sometimes ran without one: the GC check below failed).
  const r = run({ MTTCG_SECTION_PROBE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=1`.trim() }, 4000);
  t.equal(r.status, 0, String(r.stderr));
  const recs = parseProbeRecords(readFileSync(file, 'utf8'));
  const worker = recs.filter((x) => x.slot === 1);
  t.same(worker.map((x) => x.read), [1, 2, 3, 4, 5, 6],
    'bench.h reads the clock at the start, the window\'s note and the end of the warm-up and of the timed section');
  const sections = timedSections(recs);
  t.equal(sections.length, 1);
  const timedPart = sectionGrowth(...sections[0]!);
  t.same(sections[0]!.map((x) => x.read), [4, 6], 'the timed section: from its start read to its end read');
  const warm = sectionGrowth(worker[0]!, worker[2]!);
  const ti = timedPart.guest.guestInsns!;
  const wi = warm.guest.guestInsns!;
  t.ok(ti > 1e6, `the timed section ran ${ti} guest instructions`);
  t.ok(ti / wi > 1.8 && ti / wi < 2.2, `4000 timed units against 2000 warm-up units: ${(ti / wi).toFixed(3)}x the instructions`);
  t.ok(warm.guest.regionsCompiled! >= 1, `the warm-up compiled the regions (${warm.guest.regionsCompiled})`);
  t.equal(timedPart.guest.tbsTranslated, 0, 'nothing new to translate in the timed section');
  const os = sections[0]![1].os!;
  t.ok(sections[0]![1].threads.some((x) => x.tid === os.hostTid), 'the vCPU\'s host thread is among the listed threads');
  t.ok(timedPart.minorFaults >= 0 && timedPart.involuntarySwitches >= 0 && timedPart.gcCount >= 0, 'the OS and GC counters grew or stayed');
  t.ok(warm.gcCount >= 1, `the warm-up (translation, compilation) collected garbage: ${warm.gcCount} GCs, ${warm.gcMs.toFixed(2)} ms`);
  t.end();
});

t.test('on stdout (-): a begin mark before each record; without the variable, no record', { skip: !linux && 'Linux only' }, (t) => {
  const r = run({ MTTCG_SECTION_PROBE: '-' }, 1000);
  t.equal(r.status, 0, String(r.stderr));
  const out = String(r.stdout);
  const lines = out.split('\n');
  for (let read = 1; read <= 4; read++) {
    const mark = lines.findIndex((l) => l === `{"kind":"section-probe-begin","tid":1001,"read":${read}}`);
    const rec = lines.findIndex((l) => l.startsWith(`{"kind":"section-probe","tid":1001,"slot":1,"read":${read},`));
    t.ok(mark >= 0 && rec > mark, `read ${read}: mark at line ${mark}, record at ${rec}`);
  }
  t.ok(lines.some((l) => l.startsWith('BENCH ')), 'the guest\'s own output is there too');
  const plain = run({ MTTCG_SECTION_PROBE: '' }, 1000);
  t.equal(plain.status, 0);
  t.notOk(String(plain.stdout).includes('section-probe'), 'no probe unless asked');
  t.end();
});

t.test('each core\'s busy time from /proc/stat: all but idle and iowait, in 10 ms ticks', (t) => {
  const stat = 'cpu  10 0 10 100 5 0 0 0 0 0\ncpu0 1 2 3 50 4 5 6 7 0 0\ncpu1 10 0 0 30 1 0 0 0 0 0\nintr 5\n';
  t.same(coresBusyMs(stat), [(1 + 2 + 3 + 5 + 6 + 7) * 10, 100]);
  t.end();
});
