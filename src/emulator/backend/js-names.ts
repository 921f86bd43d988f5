// Names in generated JavaScript. Everything the guest contributes to the
// source is a number formatted here; no guest text ever reaches the code.

/** The JS local holding an IR temp (globals and TB-local temps alike). */
export function tempName(t: number): string {
  return `t${t}`;
}

/** An int32 literal; always a number, checked, parenthesised when negative. */
export function lit(n: number): string {
  if (!Number.isInteger(n)) throw new Error(`internal: non-integer literal ${n}`);
  const v = n | 0;
  return v < 0 ? `(${v})` : `${v}`;
}

export function hexLit(n: number): string {
  if (!Number.isInteger(n)) throw new Error(`internal: non-integer literal ${n}`);
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Runtime bindings every generated function can use (names fixed, values per
 * vCPU): R env, F the interpreter frame (env then temps), M* guest memory
 * views, TR/TW/TA the TLB, ld/st the SoftMMU slow paths, P[PI] the pending-
 * request word, H the shared memory header (code epoch), X region counters,
 * VD/VS/vh the VFP registers as doubles/floats and the exact-path helper,
 * VF the VFP variants' functions (backend/emit-vfp.ts, vfp-fast-ops.ts).
 */
export const CORE_BINDINGS = [
  'R', 'F', 'M8', 'M8s', 'M16', 'M16s', 'M32', 'TR', 'TW', 'TA', 'ld', 'st', 'mulhu', 'mulhs', 'rbit', 'P', 'PI', 'H', 'X',
  'VD', 'VS', 'vh', 'VF',
] as const;
