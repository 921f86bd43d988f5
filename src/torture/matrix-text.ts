// The torture matrix as text: rows = cases, columns = strategy@vCPUs, one
// short word per cell that says prediction and outcome at once, a legend, a
// summary, and the details a reader needs for every FAIL and XPASS.

import type { Cell, TortureCellResult, TortureMatrix } from './matrix-types.js';

/** The word for one cell. */
export function cellText(r: TortureCellResult): string {
  if (r.cell === 'n/a') return 'n/a';
  const relaxed = r.predicted !== r.declared ? '*' : '';
  const maybe = r.predicted === 'may-fail' ? '?' : '';
  const words: Record<Cell, string> = { pass: 'pass', fail: 'FAIL', 'expected-fail': 'xfail', 'unexpected-pass': 'XPASS', 'n/a': 'n/a' };
  const runs = (r.runs ?? 1) > 1 || r.seed !== undefined ? ` ${r.failedRuns ?? 0}/${r.runs ?? 1}` : '';
  const seed = r.firstFailingSeed != null ? ` s${r.firstFailingSeed}` : '';
  return `${words[r.cell]}${maybe}${relaxed}${runs}${seed}`;
}

export const MATRIX_LEGEND = `legend:
  pass    predicted to pass, passed
  FAIL    predicted to pass, failed: a broken guarantee (fails the run unless the column is a peer)
  xfail   predicted to fail, failed: the weakness was shown
  XPASS   predicted to fail, passed: the race did not happen (check concurrent_chunks / retried),
          or the design is better than its reputation
  ?       the design permits the race but does not force it (may-fail): pass? or xfail?;
          k/N after it: k of the cell's N runs failed (--repeats)
  k/N sS  torture --seeds: k of the N seeds failed, the first failing seed S
          (mttcg run --sched seed:S,... reproduces it; columns /sched)
  *       one vCPU cannot race: a counting case's fail/may-fail prediction counts as pass
  n/a     not run: the case needs 2 vCPUs (A/B pairs, litmus pairs, producer and consumer)
  peer    qemu-arm 7.2 (cmpxchg predictions; it keeps the reservation across a syscall)`;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatMatrixTable(m: TortureMatrix): string {
  const byKey = new Map(m.cells.map((c) => [`${c.case}\u0000${c.column}`, c]));
  const caseWidth = Math.max(4, ...m.cases.map((c) => c.length));
  const widths = m.columns.map((c) => Math.max(c.label.length, 7, ...m.cells.filter((x) => x.column === c.label).map((x) => cellText(x).length)));
  const head = [pad('case', caseWidth), ...m.columns.map((c, i) => pad(c.label, widths[i]!))].join('  ');
  const rows = m.cases.map((name) => {
    const cells = m.columns.map((col, i) => {
      const r = byKey.get(`${name}\u0000${col.label}`);
      return pad(r ? cellText(r) : '-', widths[i]!);
    });
    return [pad(name, caseWidth), ...cells].join('  ').trimEnd();
  });
  return [head.trimEnd(), ...rows].join('\n');
}

function counts(cells: readonly TortureCellResult[]): string {
  const n = (k: Cell): number => cells.filter((c) => c.cell === k).length;
  return `${n('pass')} pass, ${n('fail')} FAIL, ${n('expected-fail')} xfail, ${n('unexpected-pass')} XPASS, ${n('n/a')} n/a`;
}

function detail(r: TortureCellResult): string {
  const lines = [`  ${r.case} on ${r.column} (${r.args.join(' ')}; predicted ${r.predicted}): ${r.reason ?? 'RESULT status=' + (r.observedKv.status ?? '?')}`];
  if (r.resultLine) lines.push(`    ${r.resultLine}`);
  const tail = r.stderrTail.trim().split('\n').slice(-3).join('\n    ');
  if (tail && r.observed === 'fail' && r.reason !== null) lines.push(`    stderr: ${tail}`);
  return lines.join('\n');
}

export function formatSummary(m: TortureMatrix): string {
  const peers = new Set(m.columns.filter((c) => c.peer).map((c) => c.label));
  const own = m.cells.filter((c) => !peers.has(c.column));
  const peerCells = m.cells.filter((c) => peers.has(c.column));
  const seconds = m.cells.reduce((s, c) => s + c.ms, 0) / 1000;
  const out = [
    `summary: ${m.cells.length} cells in ${seconds.toFixed(0)} s (profile ${m.profile}, scale ${m.scale}, ${m.host.cores}-core host)`,
    `  strategies: ${counts(own)}`,
  ];
  if (peerCells.length) out.push(`  qemu-arm peer: ${counts(peerCells)}`);
  out.push(`  broken claims: ${m.brokenClaims}; unexpected passes: ${m.unexpectedPasses}`);
  const broken = m.cells.filter((c) => c.cell === 'fail');
  if (broken.length) out.push('FAIL (predicted pass):', ...broken.map(detail));
  const xpass = m.cells.filter((c) => c.cell === 'unexpected-pass');
  if (xpass.length) out.push('XPASS (predicted fail):', ...xpass.map(detail));
  return out.join('\n');
}

/** Header line, table, legend and summary. */
export function formatMatrix(m: TortureMatrix): string {
  const qemu = m.columns.some((c) => c.peer) ? `; peer ${m.host.qemu ?? 'qemu-arm'}` : '';
  return [
    `torture matrix, ${m.created} (${m.host.cpuModel}, ${m.host.cores} cores, node ${m.host.node}${qemu})`,
    '',
    formatMatrixTable(m),
    '',
    MATRIX_LEGEND,
    '',
    formatSummary(m),
  ].join('\n');
}
