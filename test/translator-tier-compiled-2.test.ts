// The hot tier alone runs the conformance programs (half 2 of 2) to the
// qemu-arm reference: `--hot-threshold 1` compiles every TB into a region
// at its first run (regions formed again as their exits get frequent).
// test/differential.test.ts covers the default mix; docs/translator.md has
// the tiers.

import t from 'tap';
import { checkTier } from '../harness/tier-conformance.js';

checkTier(t, 'compiled at once', '1', 1, 2);
