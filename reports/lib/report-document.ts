// Builds the report document from the inputs: setup, claims, evidence,
// correctness, throughput, non-atomic cost, counters, raw data. The HTML and
// Markdown renderers draw this same document.

import { buildClaimContext } from './claim-context.js';
import { evaluateClaims, type ClaimResult } from './claims.js';
import { heading, para, type Block, type ReportDocument } from './document-model.js';
import type { ReportInputs } from './report-inputs.js';
import { costSection, countersSection, throughputSection } from './section-bench.js';
import { claimsSection } from './section-claims.js';
import { evidenceSection } from './section-evidence.js';
import { realProgramsSection } from './section-real.js';
import { armhfAtomicsSection } from './section-armhf.js';
import { litmusSection } from './section-litmus.js';
import { setupSection } from './section-setup.js';
import { tortureSection } from './section-torture.js';

/** The raw files written beside the report (relative paths). */
export const RAW_FILES = {
  bench: 'data/results.jsonl',
  tortureRuns: 'data/results.torture.jsonl',
  torture: 'data/results.torture.json',
  summary: 'data/report.json',
} as const;

export interface BuiltReport {
  readonly doc: ReportDocument;
  readonly claims: readonly ClaimResult[];
}

export function buildReport(inputs: ReportInputs, profileText: string): BuiltReport {
  const ctx = buildClaimContext(inputs);
  const claims = evaluateClaims(inputs);
  const cores = inputs.host.cores;
  const blocks: Block[] = [
    heading(1, `mttcg-lab report (${inputs.profile} profile)`, 'top'),
    para(
      'Atomic-instruction emulation strategies for a multi-threaded ARMv7 (A32) binary translator, measured side by side: ',
      'correctness under torture tests, throughput as vCPUs grow, cost on plain code, and the counters behind the curves, ',
      'set against what the 2015-2016 qemu-devel debate claimed.',
    ),
    ...setupSection(inputs, ctx.view, profileText),
    ...claimsSection(claims),
    ...evidenceSection(ctx.view),
    ...tortureSection(inputs.torture),
    ...throughputSection(ctx.view, ctx.classes, cores),
    ...costSection(ctx.view, ctx.classes, cores),
    ...countersSection(ctx.counters, ctx.view.workloads, cores),
    ...realProgramsSection(inputs.realPrograms ?? null),
    ...armhfAtomicsSection(inputs.armhfAtomics ?? null),
    ...litmusSection(inputs.litmus ?? []),
    heading(2, 'Raw data', 'raw'),
    para(
      'Everything above is computed from these files: ',
      { text: RAW_FILES.bench, href: RAW_FILES.bench }, ' (one benchmark run per line, with its evidence and the host load) and ',
      { text: RAW_FILES.tortureRuns, href: RAW_FILES.tortureRuns }, ' (one torture run per line); ',
      { text: RAW_FILES.torture, href: RAW_FILES.torture }, ' (the torture matrix assembled from those runs) and ',
      { text: RAW_FILES.summary, href: RAW_FILES.summary }, ' (the derived view: claims, verdicts with intervals and stability, per-point medians, intervals, CPU share, overlap and runs) are derived. ',
      'The bootstrap is seeded from each point\'s identity, so the same data gives the same intervals and verdicts. ',
      ...(inputs.mergedFrom
        ? [`This report was merged from the ${inputs.mergedFrom.length} files of a sweep; to redraw it from the data, measuring nothing: `, { code: 'mttcg report --from data --out DIR' }, '. ']
        : [
          `To redraw this report from the data, measuring nothing: `, { code: `mttcg report --${inputs.profile} --results data/results.jsonl --render-only --out DIR` },
          '; without --render-only the same command also runs whatever the profile plans and the files lack (failed points included). ',
        ]),
      'To see what changed between two reports: ', { code: 'mttcg report --compare DIR-A DIR-B' }, '.',
    ),
  ];
  return { doc: { title: `mttcg-lab report (${inputs.profile}, ${inputs.created.slice(0, 10)})`, blocks }, claims };
}
