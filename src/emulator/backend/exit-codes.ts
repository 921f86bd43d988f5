// What generated code (a compiled region or an interpreted TB) returns to the
// cpu loop: an ExitReason from ir/exit-reason.ts for an indirect jump or a
// special exit, or FIRST_DIRECT_EXIT + k for a direct jump through the unit's
// exit slot k (chainable: the cpu loop links slot k to the TB at its target).
// A TB has one slot per goto_tb slot (2); a region has one per distinct target.

import { ExitReason } from '../ir/exit-reason.js';

export const FIRST_DIRECT_EXIT = 8;

// Every exit reason must stay below the direct-exit codes.
const LAST_REASON: number = ExitReason.EXIT_REQUEST;
if (LAST_REASON >= FIRST_DIRECT_EXIT) throw new Error('internal: ExitReason values overlap the direct-exit codes');
