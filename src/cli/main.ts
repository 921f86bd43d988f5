#!/usr/bin/env node
// The mttcg command line: run, torture, bench, report, trace-diff.

import { benchCommand, benchUsage } from './bench-command.js';
import { UsageError } from './option-parser.js';
import { reportCommand, reportUsage } from './report-command.js';
import { runCommand, runUsage } from './run-command.js';
import { tortureCommand, tortureUsage } from './torture-command.js';
import { traceDiffCommand, traceDiffUsage } from './trace-diff-command.js';

const USAGE = `usage: mttcg COMMAND [options]

commands:
  run [options] PROGRAM [ARGS...]   run a static ARM (A32) Linux ELF
  torture [options]                  atomic torture suite under each strategy: the correctness matrix
  bench [options]                    scaling benchmark: workloads x strategies x vCPUs, with qemu-arm and native peers
  report [--quick|--full] [options]  run what is missing, then write the HTML/Markdown report with the debate's claims
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
  if (rest[0] === '--help') {
    const usage: Record<string, () => string> = { run: runUsage, bench: benchUsage, torture: tortureUsage, report: reportUsage, 'trace-diff': traceDiffUsage };
    const u = usage[cmd];
    if (!u) throw new UsageError(`unknown command '${cmd}'`);
    process.stdout.write(u());
    return 0;
  }
  switch (cmd) {
    case 'run':
      return runCommand(rest);
    case 'torture':
      return tortureCommand(rest);
    case 'bench':
      return benchCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'trace-diff':
      return traceDiffCommand(rest);
    default:
      throw new UsageError(`unknown command '${cmd}'`);
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`mttcg: ${e.message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    const err = e as Error;
    process.stderr.write(`mttcg: internal error: ${err.message}\n${process.env.MTTCG_DEBUG ? `${err.stack}\n` : '(set MTTCG_DEBUG=1 for the host stack)\n'}`);
    process.exitCode = 70;
  },
);
