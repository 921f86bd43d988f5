// The per-vCPU translation cache (QEMU's tb_htable + tb_jmp_cache): TBs by
// key (the pc plus the instruction set state, see arm/exec-state.ts tbKey), a
// direct-mapped jump cache for indirect jumps, and per guest page the TBs and
// compiled regions made from its code, so that they can be dropped when the
// page's code changes. Translations are per vCPU (each worker has its own JIT
// heap); invalidation is driven by the shared code-page versions (see
// softmmu/guest-memory.ts).

import { Region, TranslationBlock } from './translation-block.js';

const JMP_CACHE_BITS = 13;
const JMP_CACHE_SIZE = 1 << JMP_CACHE_BITS;
/** When the cache holds this many TBs it is flushed whole, as QEMU does when its code buffer fills. */
export const DEFAULT_MAX_TBS = 65536;

/** The translations made from one guest page, all from the same version of it. */
class PageCode {
  readonly tbs: TranslationBlock[] = [];
  readonly regions: Region[] = [];
  constructor(public version: number) {}
}

export class TbCache {
  private readonly byKey = new Map<number, TranslationBlock>();
  private readonly pages = new Map<number, PageCode>();
  private readonly jmpCache: (TranslationBlock | null)[] = new Array(JMP_CACHE_SIZE).fill(null);
  translated = 0;
  invalidated = 0;
  fullFlushes = 0;
  regionsInvalidated = 0;

  constructor(private readonly maxTbs = DEFAULT_MAX_TBS) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Jump-cache lookup, then the full table. */
  lookup(key: number): TranslationBlock | undefined {
    // Halfword granularity: Thumb code has a TB start at any even address.
    const j = (key >>> 1) & (JMP_CACHE_SIZE - 1);
    const hit = this.jmpCache[j];
    if (hit && hit.key === key && hit.valid) return hit;
    const tb = this.byKey.get(key);
    if (tb) this.jmpCache[j] = tb;
    return tb;
  }

  insert(tb: TranslationBlock): void {
    if (this.byKey.size >= this.maxTbs) this.flush();
    this.pageCode(tb.page, tb.version).tbs.push(tb);
    // A TB reading a second page is dropped when either page changes.
    if (tb.page2 >= 0) this.pageCode(tb.page2, tb.version2).tbs.push(tb);
    this.byKey.set(tb.key, tb);
    this.jmpCache[(tb.key >>> 1) & (JMP_CACHE_SIZE - 1)] = tb;
    this.translated++;
  }

  /** The record of a page's translations at `version`; older translations of the page are dropped first. */
  private pageCode(page: number, version: number): PageCode {
    let code = this.pages.get(page);
    if (code && code.version !== version) {
      this.invalidatePage(page);
      code = undefined;
    }
    if (!code) {
      code = new PageCode(version);
      this.pages.set(page, code);
    }
    return code;
  }

  /**
   * Registers a region under every page its blocks come from; false (and
   * nothing registered) if one of them is no longer current here.
   */
  addRegion(region: Region): boolean {
    for (const b of region.blocks) {
      if (!b.valid || this.pages.get(b.page)?.version !== b.version) return false;
      if (b.page2 >= 0 && this.pages.get(b.page2)?.version !== b.version2) return false;
    }
    for (const p of region.pages) this.pages.get(p)!.regions.push(region);
    return true;
  }

  /**
   * Calls `seen(target, source)` for every indirect jump some TB or region
   * was seen to take (their indirectTargets) to one of `targets`: what a new
   * region's entries are chosen from (exec/tb-gen.ts).
   */
  forEachIndirectArrival(
    targets: ReadonlyMap<TranslationBlock, number>, seen: (target: TranslationBlock, source: TranslationBlock | Region) => void,
  ): void {
    for (const tb of this.byKey.values()) {
      for (const t of tb.indirectTargets) if (targets.has(t)) seen(t, tb);
    }
    const regions = new Set<Region>();
    for (const code of this.pages.values()) for (const r of code.regions) regions.add(r);
    for (const r of regions) {
      if (r.valid) for (const t of r.indirectTargets) if (targets.has(t)) seen(t, r);
    }
  }

  /** Drops the translations of pages whose code version moved on. */
  invalidateStale(codeVersion: Int32Array): void {
    const stale: number[] = [];
    for (const [page, code] of this.pages) {
      // Atomics.load: another vCPU's store may bump the version at any time.
      if (code.version !== Atomics.load(codeVersion, page)) stale.push(page);
    }
    for (const page of stale) this.invalidatePage(page);
  }

  /** The guest pages that have translations. */
  pagesWithCode(): number[] {
    return [...this.pages.keys()];
  }

  /** True if the page's translations are all from `version` and none reads a second page. */
  revalidatable(page: number, version: number): boolean {
    const code = this.pages.get(page);
    return code !== undefined && code.version === version && code.tbs.every((tb) => tb.page2 < 0);
  }

  /** The page's translations hold for its code at `version` (the same bytes in another address space). */
  revalidatePage(page: number, version: number): void {
    const code = this.pages.get(page);
    if (!code) return;
    code.version = version;
    for (const tb of code.tbs) tb.version = version;
  }

  invalidatePage(page: number): void {
    const code = this.pages.get(page);
    if (!code) return;
    this.pages.delete(page);
    for (const tb of code.tbs) {
      if (!tb.valid) continue;
      tb.valid = false;
      if (this.byKey.get(tb.key) === tb) this.byKey.delete(tb.key);
      this.invalidated++;
    }
    for (const r of code.regions) this.dropRegion(r);
  }

  private dropRegion(r: Region): void {
    if (!r.valid) return;
    r.valid = false;
    this.regionsInvalidated++;
    // Blocks from other pages stay valid and fall back to their own code.
    for (const b of r.blocks) if (b.region === r) b.region = b.solo === r ? null : b.solo;
  }

  /** Drops everything (all TBs and regions become invalid, so no chained jump reaches them). */
  flush(): void {
    for (const code of this.pages.values()) {
      for (const tb of code.tbs) tb.valid = false;
      for (const r of code.regions) r.valid = false;
    }
    this.byKey.clear();
    this.pages.clear();
    this.jmpCache.fill(null);
    this.fullFlushes++;
  }
}
