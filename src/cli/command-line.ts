// What every entry of the mttcg command line shares: the general usage text
// and how a command's result or error becomes the exit status (and, from
// host/launcher-env.ts, the environment bin/mttcg hands over). The entries
// are src/cli/main.ts (every command) and src/cli/run-main.ts (`mttcg run`
// started by bin/mttcg from the bundle: cold start, docs/translator.md
// "Start-up").

import { UsageError } from './option-parser.js';

export { restoreLauncherEnvironment } from '../host/launcher-env.js';

export const USAGE = `usage: mttcg COMMAND [options]

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

/**
 * A usage error, from this module's UsageError or from a bundle's own copy of
 * the class (scripts/bundle.mjs): told by its name.
 */
export const isUsageError = (e: unknown): boolean =>
  e instanceof UsageError || (e instanceof Error && e.name === 'UsageError');

/** Sets the exit status from a command's result: its status, 2 for a usage error, 70 for anything else. */
export function settleCommand(result: Promise<number>): void {
  result.then(
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
}
