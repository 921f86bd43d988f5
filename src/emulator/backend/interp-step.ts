// What a cold-tier step is (backend/interp-ops.ts builds them): a closure
// that returns STEP_NEXT, a jump to step j as -2 - j, or an exit code for the
// cpu loop (>= 0, see exit-codes.ts).

export type Step = () => number;
export const STEP_NEXT = -1;
