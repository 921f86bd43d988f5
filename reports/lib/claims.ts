// The debate's claims, each with where it was made, the words used, and the
// measurement that decides it. The verdicts are computed from this run's
// data by the checks in claim-bench-checks.ts and claim-torture-checks.ts;
// nothing here knows the answer in advance.

import { checkCollapse, checkNonAtomicOverhead, checkScalesAsNative, checkSlowPathAll } from './claim-bench-checks.js';
import { buildClaimContext, type ClaimContext, type Evaluation, type Verdict } from './claim-context.js';
import { checkAbaInPractice } from './claim-torture-checks.js';
import type { ReportInputs } from './report-inputs.js';

/** Where a claim was made, in public terms a reader can look up (never a file a clone does not have). */
export interface ClaimSource {
  readonly who: string;
  /** The public record: a mailing-list thread with its date, a talk, a commit title. */
  readonly where: string;
  readonly kind: 'mailing list' | 'talk' | 'commit message';
}

export interface Claim {
  readonly id: string;
  /** A short name for headings and the comparison. */
  readonly title: string;
  /** mttcg strategy the claim is about. */
  readonly strategy: string;
  readonly source: ClaimSource;
  /** The words, as written; `paraphrase` marks a summary rather than a verbatim quote. */
  readonly quote: string;
  readonly paraphrase: boolean;
  /** Which measurement decides the verdict. */
  readonly decidedBy: string;
  readonly evaluate: (ctx: ClaimContext) => Evaluation;
}

export interface ClaimResult extends Omit<Claim, 'evaluate'>, Evaluation {}

const COTA_AIE: ClaimSource = {
  who: 'Emilio G. Cota',
  where: 'qemu-devel thread "[RFC 0/8] Helper-based Atomic Instruction Emulation (AIE)", 8 May 2015 (quoted in Frederic Konrad\'s reply of 11 May 2015; archive: lists.gnu.org/archive/html/qemu-devel/2015-05)',
  kind: 'mailing list',
};

const COTA_CMPXCHG: ClaimSource = {
  who: 'the commit message of QEMU\'s "target-arm: emulate LL/SC using cmpxchg helpers" (2016; author as we recall it: Emilio G. Cota)',
  where: 'QEMU git history, commit titled "target-arm: emulate LL/SC using cmpxchg helpers" (the scheme QEMU ships since 2.8)',
  kind: 'commit message',
};

export const CLAIMS: readonly Claim[] = [
  {
    id: 'aie-scales-as-native',
    title: 'AIE scales as native code',
    strategy: 'aie',
    source: COTA_AIE,
    quote: 'guest code should scale as much as it would scale running natively on the host. [...] This has very small overhead [...] and scales as native code.',
    paraphrase: false,
    decidedBy: 'speedup from 1 vCPU to the most vCPUs the host has cores for, aie against the native build, on the atomic workloads',
    evaluate: (ctx) => checkScalesAsNative(ctx, 'aie'),
  },
  {
    id: 'aie-5-percent',
    title: 'AIE\'s store checks cost 5%',
    strategy: 'aie',
    source: COTA_AIE,
    quote: 'Executing non-trivial pre/post-store helpers adds a 5% perf overhead to linux bootup, and is negligible on regular programs.',
    paraphrase: false,
    decidedBy: 'throughput on the non-atomic workloads of aie with its store checks always on (aie:aie-stores=always; plain aie if that was not run) against unsafe (or cmpxchg), at the lowest common vCPU count',
    evaluate: (ctx) => checkNonAtomicOverhead(ctx, 'aie', ['aie:aie-stores=always', 'aie']),
  },
  {
    id: 'tlbexcl-slow-path',
    title: 'TLB_EXCL: all access follows the slow path',
    strategy: 'tlbexcl',
    source: {
      who: 'Alex Bennée, on Alvise Rigo\'s slow-path LL/SC',
      where: 'talk "Towards multithreaded TCG", KVM Forum 2015, slide "LL/SC Summary"',
      kind: 'talk',
    },
    quote: 'New TLB_EXCL flag marks page / All access now follows slow-path / Store conditional always slow-path',
    paraphrase: false,
    decidedBy: 'slow-path loads and stores per op, tlbexcl minus cmpxchg, on the atomic workloads (mttcg --stats)',
    evaluate: (ctx) => checkSlowPathAll(ctx, 'tlbexcl'),
  },
  {
    id: 'cmpxchg-aba-in-practice',
    title: 'cmpxchg: ABA is not a problem in practice',
    strategy: 'cmpxchg',
    source: COTA_CMPXCHG,
    quote: 'Emulating LL/SC with cmpxchg is not correct, since it can suffer from the ABA problem. [...] This means that in practice emulating LL/SC with cmpxchg is a viable alternative.',
    paraphrase: false,
    decidedBy: 'torture matrix, cmpxchg column: every run of the real-code cases (Treiber stack with LL/SC pop, repeated; pthread stress) must pass, with the Treiber stack\'s race exercised',
    evaluate: (ctx) => checkAbaInPractice(ctx, 'cmpxchg'),
  },
  {
    id: 'stop-the-world-collapse',
    title: 'stop-the-world: throughput near 0 beyond 4 threads',
    strategy: 'stop-the-world',
    source: {
      who: 'the "master" curve (LL/SC pairs run with all other CPUs paused) in the atomic_add-bench plots of the same commit message',
      where: 'QEMU git history, commit titled "target-arm: emulate LL/SC using cmpxchg helpers"',
      kind: 'commit message',
    },
    quote: 'throughput near 0 beyond 4 threads',
    paraphrase: true,
    decidedBy: 'stop-the-world throughput above 4 vCPUs as a share of its own 1-vCPU throughput, on the atomic workloads',
    evaluate: (ctx) => checkCollapse(ctx, 'stop-the-world'),
  },
];

export function evaluateClaims(inputs: ReportInputs, claims: readonly Claim[] = CLAIMS): ClaimResult[] {
  const ctx = buildClaimContext(inputs);
  return claims.map(({ evaluate, ...claim }) => ({ ...claim, ...evaluate(ctx) }));
}

export function verdictCounts(results: readonly ClaimResult[]): Record<Verdict, number> {
  const out: Record<Verdict, number> = { supported: 0, refuted: 0, inconclusive: 0 };
  for (const r of results) out[r.verdict]++;
  return out;
}
