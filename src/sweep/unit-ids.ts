// The name of one unit of a plan: what a shard runs, what coverage counts
// and what an error names when a unit is missing. Names are readable
// (`atomic-add cmpxchg@2 #1`, `atomic-add-1 cmpxchg @2 #3`) and unique
// within a plan: case, workload and strategy-spec names hold no spaces.

/** A torture run: case, column label (strategy spec @ vCPUs, or qemu-arm@N), repeat. */
export function tortureUnitId(u: { readonly case: string; readonly column: string; readonly repeat: number }): string {
  return `${u.case} ${u.column} #${u.repeat}`;
}

/** A benchmark run: workload, series (strategy spec or peer), vCPUs, repeat. */
export function benchUnitId(u: { readonly workload: string; readonly strategy: string; readonly vcpus: number; readonly repeat: number }): string {
  return `${u.workload} ${u.strategy} @${u.vcpus} #${u.repeat}`;
}
