// Defaults of the translator tiers that the command line needs too, in a
// module of their own: the CLI runs on the main thread, which translates
// nothing, and importing exec/vcpu.ts there would load the whole translator
// (decoder tables, backend) into it at every start.

/** Default hot threshold (docs/translator.md: the threshold). */
export const DEFAULT_HOT_THRESHOLD = 20000;
