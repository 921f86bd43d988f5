// `mttcg run` as bin/mttcg starts it when the build has bundled it
// (scripts/bundle.mjs: dist/bundle/run-main.js, a CommonJS entry run through
// V8's code cache): the same command as `node dist/src/cli/main.js run`,
// without Node's ES module loader and main.js's own modules on the way (cold
// start, docs/translator.md "Start-up"). argv: node, this script, `run`,
// then the run command's arguments.

import { coldMark, coldMarkExit, coldMarkNodeStart } from '../host/cold-trace.js';
import { restoreLauncherEnvironment, settleCommand } from './command-line.js';
import { runCommand, runUsage } from './run-command.js';

restoreLauncherEnvironment();
coldMarkNodeStart();
coldMarkExit();

async function runMain(argv: readonly string[]): Promise<number> {
  coldMark('run command loaded');
  if (argv[0] === '--help') {
    process.stdout.write(runUsage());
    return 0;
  }
  return runCommand(argv);
}

// After this script's evaluation (the code cache marks it), not inside it.
settleCommand(Promise.resolve().then(() => runMain(process.argv.slice(3))));
