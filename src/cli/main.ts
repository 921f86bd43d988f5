#!/usr/bin/env node
// The mttcg command line: run, torture, bench, report, litmus, trace-diff.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { UsageError } from './option-parser.js';
import { coldMark, coldMarkExit, coldMarkNodeStart } from '../host/cold-trace.js';

/**
 * bin/mttcg starts Node without NODE_EXTRA_CA_CERTS (Node parses that file at
 * every start; mttcg makes no TLS connection) and passes its value in this
 * variable: put back, the guest's environment and that of every process
 * mttcg starts are the user's.
 */
const LAUNCHER_CA_ENV = 'MTTCG_NODE_EXTRA_CA_CERTS';
const launcherCa = process.env[LAUNCHER_CA_ENV];
if (launcherCa !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = launcherCa;
  delete process.env[LAUNCHER_CA_ENV];
}

coldMarkNodeStart();
coldMark('main module evaluated');
coldMarkExit();

// Each command's module is loaded only when that command runs: `run` is
// started once per guest program, and the report's chart renderer alone
// costs tens of milliseconds to load (cold start, docs/translator.md).
interface Command {
  run(argv: string[]): Promise<number> | number;
  usage(): string;
}

/** The run command and its vCPU worker bundled by scripts/bundle.mjs (fewer modules to load at start). */
const RUN_BUNDLE = new URL('../../bundle/run-command.js', import.meta.url);
/** The bundle's own UsageError class, once it is loaded (its errors are usage errors too). */
let bundledUsageError: (new (message: string) => Error) | null = null;

async function loadRun(): Promise<Command> {
  if (!process.env.MTTCG_NO_BUNDLE && existsSync(RUN_BUNDLE)) {
    // A CommonJS entry (scripts/bundle.mjs): required, not imported.
    const m = createRequire(import.meta.url)(fileURLToPath(RUN_BUNDLE)) as typeof import('./run-command.js');
    bundledUsageError = m.UsageError;
    return { run: m.runCommand, usage: m.runUsage };
  }
  const m = await import('./run-command.js');
  return { run: m.runCommand, usage: m.runUsage };
}

const isUsageError = (e: unknown): boolean =>
  e instanceof UsageError || (bundledUsageError !== null && e instanceof bundledUsageError);

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: loadRun,
  torture: async () => { const m = await import('./torture-command.js'); return { run: m.tortureCommand, usage: m.tortureUsage }; },
  bench: async () => { const m = await import('./bench-command.js'); return { run: m.benchCommand, usage: m.benchUsage }; },
  report: async () => { const m = await import('./report-command.js'); return { run: m.reportCommand, usage: m.reportUsage }; },
  litmus: async () => { const m = await import('./litmus-command.js'); return { run: m.litmusCommand, usage: m.litmusUsage }; },
  'trace-diff': async () => { const m = await import('./trace-diff-command.js'); return { run: m.traceDiffCommand, usage: m.traceDiffUsage }; },
};

const USAGE = `usage: mttcg COMMAND [options]

commands:
  run [options] PROGRAM [ARGS...]   run a static ARM (A32) Linux ELF
  torture [options]                  atomic torture suite under each strategy: the correctness matrix
  bench [options]                    scaling benchmark: workloads x strategies x vCPUs, with qemu-arm and native peers
  report [--quick|--full] [options]  run what is missing, then write the HTML/Markdown report with the debate's claims
  litmus FILE|DIR... [options]       ARM litmus tests under each strategy: litmus7-style histograms
  trace-diff PROGRAM [ARGS...]       lockstep register-trace diff against qemu-arm
  help                               this text

'mttcg COMMAND --help' describes a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) throw new UsageError(`unknown command '${cmd}'`);
  const command = await load();
  coldMark(`${cmd} command loaded`);
  if (rest[0] === '--help') {
    process.stdout.write(command.usage());
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    if (isUsageError(e)) {
      process.stderr.write(`mttcg: ${(e as Error).message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    const err = e as Error;
    process.stderr.write(`mttcg: internal error: ${err.message}\n${process.env.MTTCG_DEBUG ? `${err.stack}\n` : '(set MTTCG_DEBUG=1 for the host stack)\n'}`);
    process.exitCode = 70;
  },
);
