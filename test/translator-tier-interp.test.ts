// The cold tier alone runs every conformance program to the qemu-arm
// reference: `--hot-threshold 0` interprets every TB (no JavaScript is
// compiled). test/differential.test.ts covers the default mix;
// docs/translator.md has the tiers.

import t from 'tap';
import { checkTier } from '../harness/tier-conformance.js';

checkTier(t, 'interpreter only', '0');
