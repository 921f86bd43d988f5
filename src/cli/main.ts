#!/usr/bin/env node
// The mttcg command line: run, torture, bench, report, trace-diff.

import { UsageError } from './option-parser.js';
import { runCommand, runUsage } from './run-command.js';

const USAGE = `usage: mttcg COMMAND [options]

commands:
  run [options] PROGRAM [ARGS...]   run a static ARM (A32) Linux ELF
  help                               this text

'mttcg COMMAND --help' describes a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  if (rest.includes('--help') && cmd === 'run' && rest.indexOf('--help') < 1) {
    process.stdout.write(runUsage());
    return 0;
  }
  switch (cmd) {
    case 'run':
      return runCommand(rest);
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
