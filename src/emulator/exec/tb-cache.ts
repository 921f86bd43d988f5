// The per-vCPU translation cache (QEMU's tb_htable + tb_jmp_cache): TBs by
// key (the pc plus the instruction set state, see arm/exec-state.ts tbKey), a
// direct-mapped jump cache for indirect jumps, and the TBs of each guest page
// so that a page's translations can be dropped when its code changes.
// Translations are per vCPU (each worker has its own JIT heap); invalidation is
// driven by the shared code-page versions (see softmmu/guest-memory.ts).

import { MultiMap } from 'mnemonist';
import type { TranslationBlock } from './translation-block.js';

const JMP_CACHE_BITS = 13;
const JMP_CACHE_SIZE = 1 << JMP_CACHE_BITS;
/** When the cache holds this many TBs it is flushed whole, as QEMU does when its code buffer fills. */
export const DEFAULT_MAX_TBS = 65536;

export class TbCache {
  private readonly byKey = new Map<number, TranslationBlock>();
  /** TBs that also read a second page (page2), checked against its version separately. */
  private readonly straddlers = new Set<TranslationBlock>();
  private readonly byPage = new MultiMap<number, TranslationBlock>();
  private readonly jmpCache: (TranslationBlock | null)[] = new Array(JMP_CACHE_SIZE).fill(null);
  translated = 0;
  invalidated = 0;
  fullFlushes = 0;

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
    this.byKey.set(tb.key, tb);
    this.byPage.set(tb.page, tb);
    if (tb.page2 >= 0) this.straddlers.add(tb);
    this.jmpCache[(tb.key >>> 1) & (JMP_CACHE_SIZE - 1)] = tb;
    this.translated++;
  }

  /** Drops every TB of pages whose code version moved on. */
  invalidateStale(codeVersion: Int32Array): void {
    const stalePages: number[] = [];
    this.byPage.forEachAssociation((tbs, page) => {
      if (tbs.length && tbs[0]!.version !== Atomics.load(codeVersion, page)) stalePages.push(page);
    });
    for (const page of stalePages) this.invalidatePage(page);
    for (const tb of this.straddlers) {
      if (tb.valid && tb.version2 !== Atomics.load(codeVersion, tb.page2)) this.invalidateTb(tb);
    }
  }

  private invalidateTb(tb: TranslationBlock): void {
    tb.valid = false;
    if (this.byKey.get(tb.key) === tb) this.byKey.delete(tb.key);
    this.straddlers.delete(tb);
    this.invalidated++;
  }

  /** The guest pages that have TBs. */
  pages(): number[] {
    return [...this.byPage.keys()];
  }

  /** The TBs translated from a page. */
  tbsOf(page: number): readonly TranslationBlock[] {
    return this.byPage.get(page) ?? [];
  }

  invalidatePage(page: number): void {
    const tbs = this.byPage.get(page);
    if (!tbs) return;
    for (const tb of tbs) if (tb.valid) this.invalidateTb(tb);
    this.byPage.delete(page);
  }

  /** Drops everything (all TBs become invalid, so no chained jump reaches them). */
  flush(): void {
    for (const tb of this.byKey.values()) tb.valid = false;
    this.byKey.clear();
    this.byPage.clear();
    this.straddlers.clear();
    this.jmpCache.fill(null);
    this.fullFlushes++;
  }
}
