// The report's "armhf: LDREX/STREX in real programs" section (issue 19 item
// 6): Debian armhf pigz reaches glibc's locks through LDREX/STREX, armel pigz
// through __kuser_cmpxchg; per strategy, how many of each per million guest
// instructions, how many failed (contention at the instruction), futex waits
// (a thread sleeping on a taken lock or a condition variable), whether the threads ran at the same time, and what
// each strategy costs against qemu-arm, from a bench/armhf/pigz-atomics.js
// --json file (mttcg report --armhf-atomics FILE).

import type { ArmhfCounter, ArmhfResults, ArmhfRow } from '../../bench/armhf/armhf-results.js';
import { median } from '../../bench/lib/peers.js';
import { cell, heading, para, table, type Block, type TableCell } from './document-model.js';

const range = (xs: readonly number[], digits: number): string =>
  xs.length ? `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})` : 'n/a';

const perM = (r: ArmhfRow, k: ArmhfCounter, digits = 1): string => range(r.perM[k], digits);

function failures(r: ArmhfRow): number[] {
  return r.perM['atomic.strexFailMonitor'].map((x, i) => x + r.perM['atomic.strexFailValue'][i]! + r.perM['atomic.casFail'][i]!);
}

function rowCells(r: ArmhfRow): TableCell[] {
  const fails = failures(r);
  return [
    cell(r.arch), cell(r.strategy), cell(perM(r, 'atomic.ldrex')), cell(perM(r, 'atomic.strex')), cell(perM(r, 'atomic.cas')),
    cell(range(fails, 2), fails.some((x) => x > 0) ? 'bad' : undefined), cell(perM(r, 'futexWaits', 2)),
    cell(range(r.parallelism, 2)), cell(range(r.ratio, 1)),
  ];
}

/** Whether the runs show contention, and whether they could have: failures, futex waits, overlap. */
function contentionParagraph(r: ArmhfResults): Block {
  const failed = r.rows.filter((x) => failures(x).some((f) => f > 0));
  const par = r.rows.flatMap((x) => x.parallelism).filter((x) => Number.isFinite(x));
  const overlapped = par.filter((x) => x > 1).length;
  const waits = r.rows.flatMap((x) => x.perM.futexWaits);
  const overlap = par.length === 0
    ? 'no run recorded its vCPUs\' CPU time, so whether the threads overlapped is unknown'
    : overlapped === 0
      ? `in no run did the vCPUs' summed CPU time exceed the wall time (median ${median(par).toFixed(2)}): the threads took turns on this host, so these runs are not evidence about contention`
      : `in ${overlapped} of ${par.length} runs the vCPUs' summed CPU time exceeded the wall time (median ${median(par).toFixed(2)}): the threads ran at the same time`;
  return para(
    { strong: `Contention at -p ${r.pigzThreads}: ` },
    failed.length === 0
      ? 'no STREX and no kuser cmpxchg failed in any run; '
      : `failed STREX or cmpxchg in ${failed.map((x) => `${x.arch} ${x.strategy}`).join(', ')}; `,
    `futex waits (a thread sleeping in the kernel on a glibc lock found taken or on a condition variable: pigz hands out its blocks through one) ${range(waits, 2)} per million instructions; ${overlap}. `,
    spacing(r),
  );
}

/** How far apart the armhf runs' exclusives are: one LDREX per so many guest instructions. */
function spacing(r: ArmhfResults): string {
  const ldrex = r.rows.filter((x) => x.arch === 'armhf').flatMap((x) => x.perM['atomic.ldrex']).filter((x) => x > 0);
  if (ldrex.length === 0) return 'The armhf runs executed no LDREX.';
  const every = Math.round(1e6 / median(ldrex));
  return `armhf pigz executes one LDREX per ${every} guest instructions (median): two threads meet inside a lock only when both reach one in the ` +
    'same few instructions, so without failures on record a strategy\'s cost on these programs is its uncontended cost.';
}

export function armhfAtomicsSection(r: ArmhfResults | null): Block[] {
  const blocks: Block[] = [heading(2, 'armhf: LDREX/STREX in real programs', 'armhf-atomics')];
  if (!r) {
    blocks.push(para(
      'Not in this report. Debian armhf pigz (glibc\'s locks through LDREX/STREX) beside armel pigz (__kuser_cmpxchg) is measured by ',
      { code: 'node dist/bench/armhf/pigz-atomics.js --json FILE' }, ' (after ', { code: 'sh scripts/fetch-corpus.sh armel' }, ' and ',
      { code: 'armhf' }, '); ', { code: 'mttcg report --armhf-atomics FILE' }, ' draws it here.',
    ));
    return blocks;
  }
  const versions = Object.entries(r.versions).map(([a, v]) => `${a} ${v}`).join(', ');
  blocks.push(
    para(
      `Debian pigz (${versions}) -p ${r.pigzThreads} compressing ${r.bytes} bytes of seeded text through -L, every output equal to qemu-arm's; `,
      `${r.repeat} rounds, the strategies and qemu-arm taking turns; ${r.host}; 1-minute load average after the rounds ${range(r.loads, 1)}. `,
      'Per million guest instructions, median (min-max) over rounds; failures are failed STREX (monitor lost or value changed) plus failed ',
      'kuser cmpxchg; vCPU CPU / wall is the threads\' summed CPU time over the wall time; the cost is mttcg\'s wall time over qemu-arm\'s in ',
      'the same round. Reproduce with ', { code: r.command }, '.',
    ),
    table(['arch', 'strategy', 'LDREX / M', 'STREX / M', 'kuser cmpxchg / M', 'failed / M', 'futex waits / M', 'vCPU CPU / wall', 'mttcg / qemu-arm'],
      r.rows.map(rowCells)),
    contentionParagraph(r),
  );
  return blocks;
}
