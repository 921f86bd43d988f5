// Each translator tier alone on every conformance program: `--hot-threshold
// 0` interprets every TB (no JavaScript is compiled), `--hot-threshold 1`
// compiles every TB into a region at its first run. npm test keeps the
// compiled tier on the programs whose translation is the point
// (test/translator-tier-compiled.test.ts) and the default mix on every
// program (test/differential.test.ts), where code runs interpreted until it
// gets hot.

import t from 'tap';
import { checkTier } from '../../harness/tier-conformance.js';

checkTier(t, 'interpreter only', '0');
checkTier(t, 'compiled at once', '1');
