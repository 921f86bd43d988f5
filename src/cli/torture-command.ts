// `mttcg torture [options]`: runs the atomic torture suite under each strategy
// and prints the correctness matrix (prediction against observation).

import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TORTURE_CASE_NAMES, type TortureCaseName } from '../emulator/atomics/guarantees.js';
import { isTortureCaseName } from '../torture/cases.js';
import { cellText, formatMatrix } from '../torture/matrix-text.js';
import { qemuInstalled } from '../torture/qemu-peer.js';
import { runTortureMatrix, type TortureProgress, type TortureRequest } from '../torture/run-matrix.js';
import { defaultSpecTexts } from '../torture/strategy-spec.js';
import { formatHelp, numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';

const TORTURE_OPTIONS: readonly OptionSpec[] = [
  { name: 'strategy', kind: 'list', help: 'strategy specs, comma-separated: NAME or NAME:KEY=VALUE[:KEY=VALUE] (KEY: a run strategy option) (default: every strategy plus the registered variants)' },
  { name: 'threads', kind: 'list', help: 'vCPU counts, comma-separated; one column per strategy and count (default 2)' },
  { name: 'quick', kind: 'boolean', help: 'the quick arguments of torture-tests/atomics/README.md (the default)' },
  { name: 'full', kind: 'boolean', help: 'the default (longer) arguments of torture-tests/atomics/README.md' },
  { name: 'cases', kind: 'list', help: 'cases to run, comma-separated (default: all)' },
  { name: 'scale', kind: 'string', help: 'multiply every iteration count by F, not below a floor per kind (default 1)' },
  { name: 'json', kind: 'string', help: 'write the matrix as JSON (kind torture-matrix) to this file' },
  { name: 'no-qemu', kind: 'boolean', help: 'no qemu-arm peer column (default: one per vCPU count when qemu-arm is installed)' },
  { name: 'timeout', kind: 'string', help: 'seconds per cell before the run counts as failed (default 120)' },
];

export function tortureUsage(): string {
  return `usage: mttcg torture [options]

Runs every torture case (torture-tests/atomics) under each strategy, one
process per cell, and compares the outcome with what the strategy declares.
Exit status 1 if a strategy failed a case it claims to pass (qemu-arm, a peer,
never causes that), 0 otherwise.

cases: ${TORTURE_CASE_NAMES.join(', ')}
default strategies: ${defaultSpecTexts().join(', ')}

${formatHelp(TORTURE_OPTIONS)}
`;
}

export function parseTortureArgs(argv: readonly string[]): { request: TortureRequest; jsonFile: string | null } {
  const p = parseOptions(argv, TORTURE_OPTIONS, false);
  if (p.positionals.length) throw new UsageError(`torture takes no positional arguments (got '${p.positionals[0]}')`);
  if (p.values.get('quick') && p.values.get('full')) throw new UsageError('--quick and --full exclude each other');
  const specs = p.values.get('strategy') as string[] | undefined;
  const threadTexts = p.values.get('threads') as string[] | undefined;
  const threads = threadTexts?.map((t) => {
    const n = Number(t);
    if (!/^\d+$/.test(t) || n < 1 || n > 64) throw new UsageError(`--threads: '${t}' is not a vCPU count from 1 to 64`);
    return n;
  });
  const caseTexts = p.values.get('cases') as string[] | undefined;
  const cases = caseTexts?.map((c): TortureCaseName => {
    if (!isTortureCaseName(c)) throw new UsageError(`--cases: unknown case '${c}'; cases: ${TORTURE_CASE_NAMES.join(', ')}`);
    return c;
  });
  const request: TortureRequest = {
    ...(specs ? { specs } : {}),
    ...(threads ? { threads } : {}),
    ...(cases ? { cases } : {}),
    profile: p.values.get('full') ? 'full' : 'quick',
    scale: numberOption(p, 'scale', 1, 1e-6, 10),
    qemu: !p.values.get('no-qemu'),
    timeoutSeconds: numberOption(p, 'timeout', 120, 0.01, 86400),
  };
  const jsonFile = (p.values.get('json') as string | undefined) ?? null;
  // checked now, not after a run of many minutes
  if (jsonFile !== null) {
    const dir = dirname(resolve(jsonFile));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--json ${jsonFile}: directory ${dir} does not exist`);
  }
  return { request, jsonFile };
}

function progressLine(p: TortureProgress): string {
  const r = p.result;
  const width = String(p.total).length;
  const pos = `[${String(p.index).padStart(width)}/${p.total}]`;
  const secs = r.cell === 'n/a' ? '' : `${(r.ms / 1000).toFixed(1)} s`;
  return `${pos} ${r.case.padEnd(20)} ${r.column.padEnd(18)} ${cellText(r).padEnd(7)} ${secs}`.trimEnd();
}

export async function tortureCommand(argv: readonly string[]): Promise<number> {
  const { request, jsonFile } = parseTortureArgs(argv);
  if (request.qemu && !qemuInstalled()) process.stderr.write('mttcg torture: qemu-arm is not installed; no peer column\n');
  const matrix = await runTortureMatrix(request, (p) => process.stderr.write(`${progressLine(p)}\n`));
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(matrix, null, 2)}\n`);
  process.stdout.write(`${formatMatrix(matrix)}\n`);
  return matrix.brokenClaims > 0 ? 1 : 0;
}
