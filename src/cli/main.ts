#!/usr/bin/env node
// The mttcg command line: run, torture, bench, report, litmus, trace-diff.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { UsageError } from './option-parser.js';
import { coldMark, coldMarkExit, coldMarkNodeStart } from '../host/cold-trace.js';
import { restoreLauncherEnvironment, settleCommand, USAGE } from './command-line.js';

restoreLauncherEnvironment();
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

async function loadRun(): Promise<Command> {
  if (!process.env.MTTCG_NO_BUNDLE && existsSync(RUN_BUNDLE)) {
    // A CommonJS entry (scripts/bundle.mjs): required, not imported.
    const m = createRequire(import.meta.url)(fileURLToPath(RUN_BUNDLE)) as typeof import('./run-command.js');
    return { run: m.runCommand, usage: m.runUsage };
  }
  const m = await import('./run-command.js');
  return { run: m.runCommand, usage: m.runUsage };
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: loadRun,
  torture: async () => { const m = await import('./torture-command.js'); return { run: m.tortureCommand, usage: m.tortureUsage }; },
  bench: async () => { const m = await import('./bench-command.js'); return { run: m.benchCommand, usage: m.benchUsage }; },
  report: async () => { const m = await import('./report-command.js'); return { run: m.reportCommand, usage: m.reportUsage }; },
  litmus: async () => { const m = await import('./litmus-command.js'); return { run: m.litmusCommand, usage: m.litmusUsage }; },
  'trace-diff': async () => { const m = await import('./trace-diff-command.js'); return { run: m.traceDiffCommand, usage: m.traceDiffUsage }; },
};

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

settleCommand(main(process.argv.slice(2)));
