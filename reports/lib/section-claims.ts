// "The debate's claims against this run": each claim's words and source
// beside the measurement that decides it, the value measured and the verdict.

import type { Verdict } from './claim-context.js';
import { verdictCounts, type ClaimResult } from './claims.js';
import { cell, heading, para, table, type Block, type Tone } from './document-model.js';

const VERDICT_TONE: Readonly<Record<Verdict, Tone>> = { supported: 'good', refuted: 'bad', 'not measured': 'muted' };

export function claimsSection(results: readonly ClaimResult[]): Block[] {
  const n = verdictCounts(results);
  return [
    heading(2, "The debate's claims against this run", 'claims'),
    para(
      'Each verdict is computed from this report\'s data by a fixed rule (the "why" column; docs/reports.md lists the thresholds). ',
      '"not measured" means the data to decide it is missing from this run: a strategy not built, a peer not installed, or a vCPU count the profile does not run. ',
      'A verdict speaks for this machine and these workloads only.',
    ),
    para({ strong: `${n.supported} supported, ${n.refuted} refuted, ${n['not measured']} not measured.` }),
    table(['strategy', 'claim', 'source', 'decided by', 'measured', 'verdict', 'why'], results.map((r) => [
      cell(r.strategy),
      cell(r.paraphrase ? `${r.quote} (paraphrase)` : `"${r.quote}"`),
      cell(`${r.source.who}; ${r.source.kind}: ${r.source.where}`),
      cell(r.decidedBy),
      cell(r.measured),
      cell(r.verdict, VERDICT_TONE[r.verdict]),
      cell(r.reason),
    ])),
  ];
}
