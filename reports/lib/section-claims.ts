// "The debate's claims against this run": a summary table (claim, verdict,
// stability), then each claim on its own: its words and public source, the
// measurement that decides it, the value with its 95% interval, the verdict
// with its stability and basis, the rule applied, and the points it rests on
// (and those it could not use). One block per claim rather than one wide
// table, so that no cell is clipped.

import type { Verdict } from './claim-context.js';
import { fmtInterval, fmtStatistic } from './claim-context.js';
import { verdictCounts, type ClaimResult } from './claims.js';
import { cell, heading, para, table, type Block, type TableCell, type Tone } from './document-model.js';

const VERDICT_TONE: Readonly<Record<Verdict, Tone>> = { supported: 'good', refuted: 'bad', inconclusive: 'warn' };

export function verdictText(r: ClaimResult): string {
  return r.verdict === 'inconclusive' && r.basis !== 'interval straddles' ? `inconclusive (${r.basis})` : r.verdict;
}

export function stabilityText(r: ClaimResult): string {
  if (!r.stability) return '-';
  const side = r.verdict === 'inconclusive' ? ' on the claim\'s side' : ' agree';
  return `${Math.round(r.stability.share * 100)}% of ${r.stability.of}${r.stability.of.includes('(') ? '' : side}`;
}

function verdictCell(r: ClaimResult): TableCell {
  return cell(verdictText(r), VERDICT_TONE[r.verdict]);
}

export function claimsSection(results: readonly ClaimResult[]): Block[] {
  const n = verdictCounts(results);
  const blocks: Block[] = [
    heading(2, "The debate's claims against this run", 'claims'),
    para(
      'Each verdict is computed from this report\'s data by a fixed rule (docs/reports.md lists the thresholds). ',
      'A benchmark claim is a statistic of point medians; recomputed on 10,000 bootstrap resamples of the runs it gives a 95% interval. ',
      'The claim is supported when the whole interval is on its side of the threshold, refuted when the whole interval is on the other side, ',
      'and inconclusive when the interval straddles the threshold, when the points it needs are not evidence (the vCPUs did not overlap, got too little CPU, or did not contend), ',
      'when a torture case it needs never exercised its race, or when this run lacks the data. Stability is the share of resamples (or torture runs) that agree. ',
      'A verdict speaks for this machine and these workloads only.',
    ),
    para({ strong: `${n.supported} supported, ${n.refuted} refuted, ${n.inconclusive} inconclusive.` }),
    table(['strategy', 'claim', 'verdict', 'stability'], results.map((r) => [cell(r.strategy), cell(r.title), verdictCell(r), cell(stabilityText(r))])),
  ];
  for (const r of results) {
    const s = r.statistic;
    blocks.push(
      heading(3, `${r.title}: ${verdictText(r)}`, `claim-${r.id}`),
      table(['', ''], [
        [cell('claim'), cell(r.paraphrase ? `${r.quote} (paraphrase)` : `"${r.quote}"`)],
        [cell('source'), cell(`${r.source.who}; ${r.source.where}`)],
        [cell('decided by'), cell(r.decidedBy)],
        [cell('measured'), cell(r.measured)],
        ...(s ? [[cell('statistic'), cell(`${fmtStatistic(s.unit, s.value)}, 95% interval ${fmtInterval(s.unit, s.interval)}; the claim holds ${s.holdsWhen} ${fmtStatistic(s.unit, s.threshold)}`)]] : []),
        [cell('verdict'), verdictCell(r)],
        [cell('stability'), cell(stabilityText(r))],
        [cell('why'), cell(r.reason)],
        [cell('rests on'), cell(r.restsOn.length ? r.restsOn.join('; ') : '-')],
        ...(r.excluded.length ? [[cell('not used (not evidence)'), cell(r.excluded.join('; '), 'grey')]] : []),
      ]),
    );
  }
  return blocks;
}
