// The report's "Real programs" section (issue 15 item 4): Debian armel
// compressors under each strategy, qemu-arm and the native build, from a
// bench/real/real-bench.js results file (mttcg report --real-programs FILE);
// the debate's "ABA is not a problem in practice" judged on them; and what
// stands between mttcg and qemu-arm on these programs.

import type { RealPoint, RealResults } from '../../bench/real/real-results.js';
import { median } from '../../bench/lib/peers.js';
import { cell, heading, para, table, type Block, type TableCell } from './document-model.js';

const range = (xs: readonly number[], digits: number): string =>
  xs.length ? `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})` : 'n/a';

function pointRows(r: RealResults): TableCell[][] {
  return r.points.map((p) => {
    const peerOf = (name: string): RealPoint | undefined =>
      r.points.find((x) => x.program === p.program && x.threads === p.threads && x.peer === name);
    const ratio = (other: RealPoint | undefined): string =>
      other && other.wall.length && p.wall.length ? `${(median(p.wall) / median(other.wall)).toFixed(1)}x` : 'n/a';
    const out = p.failures.length
      ? cell(`${p.failures.length} failed: ${p.failures[0]}`, 'bad')
      : p.identical ? cell('qemu-arm\'s bytes', 'good') : cell('differs from qemu-arm', 'bad');
    return [
      cell(p.program), cell(String(p.threads)), cell(p.peer), cell(range(p.wall, 2)), cell(range(p.cpu, 2)),
      cell(ratio(peerOf('qemu-arm'))), cell(ratio(peerOf('native'))), out,
    ];
  });
}

/** The ABA claim judged on real programs: did cmpxchg's outputs ever differ from qemu-arm's (or fail)? */
function abaParagraph(r: RealResults): Block {
  const cmpxchg = r.points.filter((p) => p.peer === 'mttcg cmpxchg');
  const runs = cmpxchg.reduce((n, p) => n + p.wall.length + p.failures.length, 0);
  const bad = cmpxchg.filter((p) => !p.identical || p.failures.length > 0);
  if (runs === 0) return para('"ABA is not a problem in practice": no cmpxchg runs of real programs in this file.');
  return para(
    { strong: '"ABA is not a problem in practice", on real programs: ' },
    bad.length === 0
      ? `under cmpxchg (QEMU's scheme, which the torture tests show ABA-prone), every one of ${runs} runs of these programs gave qemu-arm's bytes, ` +
        'as did the strategies without ABA. Consistent with the claim for these programs; it says nothing of programs whose lock-free code ' +
        'reuses nodes (the torture cases), and Debian armel programs reach their atomics through __kuser_cmpxchg, a compare-and-swap in the ' +
        'first place, where ABA is the program\'s own concern on real hardware too.'
      : `under cmpxchg, ${bad.length} of ${cmpxchg.length} points gave output that differs from qemu-arm's or failed: refuted on real programs.`,
  );
}

export function realProgramsSection(r: RealResults | null): Block[] {
  const blocks: Block[] = [heading(2, 'Real programs', 'real-programs')];
  if (!r) {
    blocks.push(para(
      'Not in this report. Debian armel pigz, xz and zstd (dynamically linked, run with -L) are measured by ',
      { code: 'node dist/bench/real/real-bench.js --json FILE' }, ' (after ', { code: 'sh scripts/fetch-corpus.sh' },
      '); ', { code: 'mttcg report --real-programs FILE' }, ' draws them here.',
    ));
    return blocks;
  }
  const loads = r.loads.length ? `${median(r.loads).toFixed(1)} (${Math.min(...r.loads).toFixed(1)}-${Math.max(...r.loads).toFixed(1)})` : 'n/a';
  blocks.push(
    para(
      `${r.corpus}, compressing ${r.bytes} bytes of seeded text; ${r.repeat} runs per point, the peers taking turns; ${r.host}; `,
      `1-minute load average during the runs ${loads}. Wall and CPU (the process tree's user + system) in seconds: median (min-max). `,
      'Reproduce with ', { code: r.command }, '.',
    ),
    table(['program', 'threads', 'peer', 'wall s', 'cpu s', 'vs qemu-arm', 'vs native', 'output'], pointRows(r)),
    abaParagraph(r),
  );
  if (r.profiles.length) {
    blocks.push(
      heading(3, 'What stands between mttcg and qemu-arm here', 'real-programs-cost'),
      para('One --stats-json run per point: shares of the vCPUs\' run time (waits included, so the shares of a loaded host understate the work), ',
        'and armel\'s atomics (__kuser_cmpxchg calls) per million guest instructions.'),
      table(['program', 'threads', 'strategy', 'M guest insns', 'vCPU cpu s', 'translate', 'compile', 'guest code', 'kuser cmpxchg / M insns'],
        r.profiles.map((p) => [p.program, String(p.threads), p.strategy, (p.insns / 1e6).toFixed(1), p.cpuSeconds.toFixed(2),
          `${p.translatePct.toFixed(1)}%`, `${p.compilePct.toFixed(1)}%`, `${p.codePct.toFixed(1)}%`, p.casPerMInsn.toFixed(1)])),
    );
  }
  const kuserPeers = Object.entries(r.kuser);
  if (kuserPeers.length) {
    blocks.push(
      para('One increment on one thread (bench/real/kuser-cost.elf), ns per op: median (min-max).'),
      table(['peer', 'plain', 'LDREX/STREX', '__kuser_cmpxchg', 'kuser - plain'],
        kuserPeers.map(([peer, m]) => [peer, range(m.plain ?? [], 0), range(m.ldrex ?? [], 0), range(m.kuser ?? [], 0),
          (median(m.kuser ?? [0]) - median(m.plain ?? [0])).toFixed(0)])),
    );
  }
  return blocks;
}
