// A vCPU's --stats record (exec/vcpu.ts Vcpu.stats): guest instructions per
// tier, the cpu loop's counters, the TB cache's and the translator's, and,
// when timing, the time split (exec/vcpu-timing.ts) and the CPU time of
// making regions per phase (exec/tb-gen.ts RegionCost).

import { REGION_INSNS } from '../backend/compile-tb.js';
import { INTERP_FIRST, INTERP_INNER, INTERP_REWRITTEN, INTERP_TIERS } from '../backend/interp-tb.js';
import type { TbCache } from './tb-cache.js';
import type { TbGen } from './tb-gen.js';
import type { VcpuCounters } from './vcpu-options.js';
import type { VcpuTiming } from './vcpu-timing.js';

/** Guest instructions executed, all tiers: the interpreter's per tier and the compiled regions'. */
export function guestInsnsOf(c: VcpuCounters, regionCounters: Float64Array): number {
  let interpreted = 0;
  for (let i = 0; i < INTERP_TIERS; i++) interpreted += c.interpInsns[i]!;
  return interpreted + regionCounters[REGION_INSNS]!;
}

export function vcpuStats(
  c: VcpuCounters, regionCounters: Float64Array, cache: TbCache, g: TbGen, timing: VcpuTiming,
): Record<string, number> {
  const out: Record<string, number> = {
    guestInsns: guestInsnsOf(c, regionCounters),
    // Per tier: which code ran them (docs/translator.md, "Where the time goes").
    interpInsns: c.interpInsns[INTERP_FIRST]!,
    rewrittenInsns: c.interpInsns[INTERP_REWRITTEN]!,
    innerInsns: c.interpInsns[INTERP_INNER]!,
    regionInsns: regionCounters[REGION_INSNS]!,
    tbExecs: c.tbExecs,
    chainedJumps: c.chainedJumps,
    indirectJumps: c.indirectJumps,
    tbsTranslated: cache.translated,
    tbsInvalidated: cache.invalidated,
    tbCacheFlushes: cache.fullFlushes,
    regionsCompiled: g.regionsCompiled,
    regionBlocks: g.regionBlocks,
    regionsAbandoned: g.regionsAbandoned,
    regionsRegrown: g.regionsRegrown,
    regionIrKept: g.regionIrKept,
    regionsInvalidated: cache.regionsInvalidated,
    soloTbs: g.soloTbs,
    regionEntries: c.regionEntries,
    regionPollExits: c.regionPollExits,
  };
  if (!timing.enabled) return out;
  const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
  return {
    ...out, ...timing.split(),
    'time.regionIrCpuMs': ms(g.regionCost.ir), 'time.regionEmitCpuMs': ms(g.regionCost.emit), 'time.regionV8CpuMs': ms(g.regionCost.v8),
  };
}
