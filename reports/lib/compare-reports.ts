// `mttcg report --compare A B`: what changed between two report directories,
// read from their data/report.json (the derived view, version 2): the
// setup of each, every claim's verdict side by side, and the benchmark
// points whose medians moved beyond their intervals (A's median outside B's
// 95% interval or B's outside A's; both must be evidence). Points whose
// intervals agree are only counted. Output is Markdown on stdout, so it can
// go into docs as it is.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/option-parser.js';
import { fmtSi } from './number-format.js';
import { RAW_FILES } from './report-document.js';

interface Interval {
  readonly lo: number;
  readonly hi: number;
}

interface PointJson {
  readonly vcpus: number;
  readonly runs: number;
  readonly evidenceRuns: number;
  readonly evidence: boolean;
  readonly median: number | null;
  readonly interval: Interval | null;
}

interface ClaimJson {
  readonly id: string;
  readonly title?: string;
  readonly verdict: string;
  readonly basis?: string;
  readonly stability?: { readonly share: number; readonly of: string } | null;
  readonly statistic?: { readonly value: number; readonly interval: Interval | null; readonly unit: string } | null;
}

interface ReportJson {
  readonly kind: 'mttcg-report';
  readonly version: number;
  readonly profile: string;
  readonly created: string;
  readonly host: { readonly cpuModel: string; readonly cores: number; readonly hostId?: string; readonly hostKind?: string };
  readonly claims: readonly ClaimJson[];
  readonly series: readonly { readonly workload: string; readonly key: string; readonly points: readonly PointJson[] }[];
}

function load(dir: string): ReportJson {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--compare: ${dir} is not a report directory`);
  const file = join(dir, RAW_FILES.summary);
  if (!existsSync(file)) throw new UsageError(`--compare: ${dir} has no ${RAW_FILES.summary}`);
  let v: ReportJson;
  try {
    v = JSON.parse(readFileSync(file, 'utf8')) as ReportJson;
  } catch {
    throw new UsageError(`--compare: ${file} is not valid JSON`);
  }
  if (v.kind !== 'mttcg-report') throw new UsageError(`--compare: ${file} is not a report summary`);
  if (v.version < 2) {
    throw new UsageError(`--compare: ${file} is version ${v.version}, without intervals; redraw it first: mttcg report --results ${join(dir, RAW_FILES.bench)} --render-only --out ${dir}`);
  }
  return v;
}

function verdictOf(c: ClaimJson | undefined): string {
  if (!c) return '-';
  const basis = c.verdict === 'inconclusive' && c.basis && c.basis !== 'interval straddles' ? ` (${c.basis})` : '';
  const stab = c.stability ? `, ${Math.round(c.stability.share * 100)}% stable` : '';
  const st = c.statistic?.interval ? `; ${fmt(c.statistic.unit, c.statistic.value)} [${fmt(c.statistic.unit, c.statistic.interval.lo)}, ${fmt(c.statistic.unit, c.statistic.interval.hi)}]` : '';
  return `${c.verdict}${basis}${stab}${st}`;
}

function fmt(unit: string, x: number): string {
  if (unit === 'percent') return `${(x * 100).toFixed(1)}%`;
  if (unit === 'ratio') return `${x.toFixed(2)}×`;
  return x.toFixed(2);
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function outside(x: number, iv: Interval): boolean {
  return x < iv.lo || x > iv.hi;
}

function hostText(r: ReportJson): string {
  return `${r.host.hostKind ? `kind ${r.host.hostKind}, ` : ''}${r.host.hostId ?? '?'}: ${r.host.cores} cores, ${r.host.cpuModel}`;
}

export function compareReports(dirA: string, dirB: string): string {
  const a = load(dirA);
  const b = load(dirB);
  const out: string[] = [`# Comparing two reports`, '', row(['', `A: ${dirA}`, `B: ${dirB}`]), '|---|---|---|'];
  const countEvidence = (r: ReportJson): string => {
    const pts = r.series.flatMap((s) => s.points.filter((p) => p.runs > 0));
    return `${pts.filter((p) => p.evidence).length} of ${pts.length}`;
  };
  out.push(
    row(['profile', a.profile, b.profile]),
    row(['generated', a.created, b.created]),
    row(['host', hostText(a), hostText(b)]),
    row(['points that are evidence', countEvidence(a), countEvidence(b)]),
    '',
  );
  // reports drawn before host kinds name a machine only: then the machines must agree
  if ((a.host.hostKind ?? a.host.hostId ?? 'a') !== (b.host.hostKind ?? b.host.hostId ?? 'b')) {
    out.push('**The two reports come from different kinds of host: their figures are not like for like.**', '');
  }

  out.push('## Verdicts', '', row(['claim', 'A', 'B', '']), '|---|---|---|---|');
  const ids = [...new Set([...a.claims.map((c) => c.id), ...b.claims.map((c) => c.id)])];
  let changed = 0;
  for (const id of ids) {
    const ca = a.claims.find((c) => c.id === id);
    const cb = b.claims.find((c) => c.id === id);
    const same = ca?.verdict === cb?.verdict;
    if (!same) changed++;
    out.push(row([ca?.title ?? cb?.title ?? id, verdictOf(ca), verdictOf(cb), same ? 'same' : '**changed**']));
  }
  out.push('', `${ids.length - changed} of ${ids.length} verdicts are the same.`, '');

  out.push('## Medians that moved beyond their intervals', '');
  const moved: string[] = [];
  let agree = 0;
  let notBoth = 0;
  for (const sa of a.series) {
    const sb = b.series.find((x) => x.workload === sa.workload && x.key === sa.key);
    for (const pa of sa.points) {
      const pb = sb?.points.find((x) => x.vcpus === pa.vcpus);
      if (!pb || pa.median === null || pb.median === null) continue;
      if (!pa.evidence || !pb.evidence || !pa.interval || !pb.interval) {
        notBoth++;
        continue;
      }
      if (outside(pa.median, pb.interval) || outside(pb.median, pa.interval)) {
        moved.push(row([
          `${sa.workload} ${sa.key} @${pa.vcpus}`,
          `${fmtSi(pa.median)} [${fmtSi(pa.interval.lo)}–${fmtSi(pa.interval.hi)}]`,
          `${fmtSi(pb.median)} [${fmtSi(pb.interval.lo)}–${fmtSi(pb.interval.hi)}]`,
          `${(pb.median / pa.median).toFixed(2)}×`,
        ]));
      } else agree++;
    }
  }
  if (moved.length) out.push(row(['point', 'A median [95%]', 'B median [95%]', 'B / A']), '|---|---|---|---|', ...moved, '');
  out.push(
    `${moved.length} point(s) moved beyond their intervals; ${agree} agree within them; ${notBoth} are not evidence in one report or both (not compared).`,
    '',
  );
  return `${out.join('\n')}`;
}
