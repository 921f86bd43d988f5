// "Host and setup": the machine, the peers that could or could not run, the
// strategies measured, and what the run covered. Says plainly how many cores
// the host has, because every point past that many vCPUs is oversubscribed.

import type { BenchView } from './bench-view.js';
import { heading, para, table, type Block } from './document-model.js';
import { fmtSeconds } from './number-format.js';
import type { ReportInputs } from './report-inputs.js';

export function oversubscriptionSentence(cores: number): string {
  return `This machine has ${cores} core${cores === 1 ? '' : 's'}, so anything past ${cores} vCPU${cores === 1 ? '' : 's'} is oversubscription: more guest threads than host cores, and those points measure the host's time-sharing as much as the strategy.`;
}

function peerStatus(view: BenchView, peer: 'qemu-arm' | 'native', qemuVersion: string | null): string {
  if (view.peersMeasured.has(peer)) return peer === 'qemu-arm' && qemuVersion ? `measured (${qemuVersion})` : 'measured';
  const failed = view.peersFailed.get(peer);
  if (failed) return `missing: every run failed (${failed})`;
  if (peer === 'qemu-arm' && !qemuVersion) return 'missing: qemu-arm is not installed on this host (Debian package qemu-user)';
  return 'missing: no results in this run';
}

function runsPerPoint(view: BenchView): string {
  const counts = view.series.flatMap((s) => s.points.map((p) => p.n + p.failed));
  if (!counts.length) return '-';
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? String(lo) : `${lo} to ${hi}`;
}

export function setupSection(inputs: ReportInputs, view: BenchView, profileText: string): Block[] {
  const h = inputs.host;
  const m = inputs.torture;
  const failedRuns = view.records.filter((r) => !r.ok).length;
  const notBuilt = ['unsafe', 'stop-the-world', 'cmpxchg', 'aie', 'tlbexcl'].filter((s) => !inputs.strategiesBuilt.includes(s));
  const blocks: Block[] = [
    heading(2, 'Host and setup', 'setup'),
    para({ strong: oversubscriptionSentence(h.cores) }),
    table(['', ''], [
      ['CPU', `${h.cpuModel} (${h.cores} logical cores, ${h.arch})`],
      ['memory', `${h.memoryGiB} GiB`],
      ['OS', h.os],
      ['Node.js', h.node],
      ['qemu-arm (peer)', peerStatus(view, 'qemu-arm', h.qemu)],
      ['native build (peer)', peerStatus(view, 'native', h.qemu)],
      ['strategies built', inputs.strategiesBuilt.join(', ') || '-'],
      ['strategies benchmarked', view.strategies.join(', ') || 'none'],
      ['profile', profileText],
      ['generated', `${inputs.created}${inputs.collectMs > 0 ? `, after ${fmtSeconds(inputs.collectMs)} of measuring` : ' from existing results'}`],
    ]),
    heading(3, 'What was run', 'setup-runs'),
    table(['part', 'coverage'], [
      ['benchmarks', view.records.length
        ? `${view.records.length} runs: ${view.workloads.length} workload(s) (${view.workloads.join(', ')}), vCPU counts ${view.vcpuCounts.join(', ')}, ${runsPerPoint(view)} run(s) per point${failedRuns ? `, ${failedRuns} failed run(s)` : ''}`
        : 'none'],
      ['torture matrix', m
        ? `${m.profile} profile, iteration scale ${m.scale}, ${m.cases.length} cases × ${m.columns.length} columns (${m.cells.length} cells), started ${m.created}`
        : 'not run'],
    ]),
  ];
  if (notBuilt.length) {
    blocks.push(para(`Not built in this checkout, so not measured: ${notBuilt.join(', ')}. Their claims below say "inconclusive (not measured)".`));
  }
  if (inputs.notes.length) blocks.push({ kind: 'list', items: inputs.notes.map((n) => [n]) });
  return blocks;
}
