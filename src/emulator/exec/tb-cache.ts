// The per-vCPU translation cache (QEMU's tb_htable + tb_jmp_cache): TBs by
// pc, a direct-mapped jump cache for indirect jumps, and the TBs of each
// guest page so that a page's translations can be dropped when its code changes.
// Translations are per vCPU (each worker has its own JIT heap); invalidation is
// driven by the shared code-page versions (see softmmu/guest-memory.ts).

import { MultiMap } from 'mnemonist';
import type { TranslationBlock } from './translation-block.js';

const JMP_CACHE_BITS = 12;
const JMP_CACHE_SIZE = 1 << JMP_CACHE_BITS;
/** When the cache holds this many TBs it is flushed whole, as QEMU does when its code buffer fills. */
export const DEFAULT_MAX_TBS = 65536;

export class TbCache {
  private readonly byPc = new Map<number, TranslationBlock>();
  private readonly byPage = new MultiMap<number, TranslationBlock>();
  private readonly jmpCache: (TranslationBlock | null)[] = new Array(JMP_CACHE_SIZE).fill(null);
  translated = 0;
  invalidated = 0;
  fullFlushes = 0;

  constructor(private readonly maxTbs = DEFAULT_MAX_TBS) {}

  get size(): number {
    return this.byPc.size;
  }

  /** Jump-cache lookup, then the full table. */
  lookup(pc: number): TranslationBlock | undefined {
    const j = (pc >>> 2) & (JMP_CACHE_SIZE - 1);
    const hit = this.jmpCache[j];
    if (hit && hit.pc === pc && hit.valid) return hit;
    const tb = this.byPc.get(pc);
    if (tb) this.jmpCache[j] = tb;
    return tb;
  }

  insert(tb: TranslationBlock): void {
    if (this.byPc.size >= this.maxTbs) this.flush();
    this.byPc.set(tb.pc, tb);
    this.byPage.set(tb.page, tb);
    this.jmpCache[(tb.pc >>> 2) & (JMP_CACHE_SIZE - 1)] = tb;
    this.translated++;
  }

  /** Drops every TB of pages whose code version moved on. */
  invalidateStale(codeVersion: Int32Array): void {
    const stalePages: number[] = [];
    this.byPage.forEachAssociation((tbs, page) => {
      if (tbs.length && tbs[0]!.version !== Atomics.load(codeVersion, page)) stalePages.push(page);
    });
    for (const page of stalePages) this.invalidatePage(page);
  }

  invalidatePage(page: number): void {
    const tbs = this.byPage.get(page);
    if (!tbs) return;
    for (const tb of tbs) {
      tb.valid = false;
      if (this.byPc.get(tb.pc) === tb) this.byPc.delete(tb.pc);
      this.invalidated++;
    }
    this.byPage.delete(page);
  }

  /** Drops everything (all TBs become invalid, so no chained jump reaches them). */
  flush(): void {
    for (const tb of this.byPc.values()) tb.valid = false;
    this.byPc.clear();
    this.byPage.clear();
    this.jmpCache.fill(null);
    this.fullFlushes++;
  }
}
