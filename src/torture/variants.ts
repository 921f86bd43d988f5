// Strategy variants `mttcg torture` runs by default beside every registered
// strategy with its default options (DEFAULT_TORTURE_SPECS): specs of the form
// NAME:KEY=VALUE[:KEY=VALUE...] (see strategy-spec.ts), e.g. a strategy with
// one of its modes switched off, so that the matrix shows what each mode buys.
// Strategy authors add their variants here; this file holds nothing else.

export const EXTRA_TORTURE_VARIANTS: readonly string[] = [
  // aie: plain-store checks never / from the start (after-swp, the default, runs anyway).
  'aie:aie-stores=off',
  'aie:aie-stores=always',
  // tlbexcl: one lock per guest page instead of Rigo's global one.
  'tlbexcl:tlbexcl-lock=page',
];
