// The compiled tier alone: `--hot-threshold 1` compiles every TB into a
// region at its first run (regions formed again as their exits get
// frequent), on the conformance programs whose translation is the point
// (harness/tier-conformance.ts, TIER_FAST_PROGRAMS). test/differential.test.ts
// runs every program at the default threshold, where code runs interpreted
// until it gets hot; test/acceptance/translator-tiers.test.ts runs every
// program in each tier alone. docs/translator.md has the tiers.

import t from 'tap';
import { checkTier, TIER_FAST_PROGRAMS } from '../harness/tier-conformance.js';

checkTier(t, 'compiled at once', '1', TIER_FAST_PROGRAMS);
