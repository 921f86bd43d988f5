// A translation block: the compiled code for one guest pc, the code-page
// version it was translated from, and its outgoing direct links (chaining).

import type { TbFunction } from '../backend/compile-tb.js';

export interface TranslationBlock {
  readonly pc: number;
  /** The cache key: pc plus the instruction set state (arm/exec-state.ts tbKey). */
  readonly key: number;
  readonly page: number;
  /** codeVersion[page] when translated (or when revalidated in another address space); a different current value means stale. */
  version: number;
  /** A second code page the TB reads (a Thumb instruction crossing a page), or -1, and its version. */
  readonly page2: number;
  readonly version2: number;
  readonly fn: TbFunction;
  readonly nInsns: number;
  /** The TB loops on itself inside its function and reports extra iterations in env. */
  readonly selfLoop: boolean;
  /** Linked successors for goto_tb slots 0 and 1 (QEMU's jmp_dest). */
  readonly links: [TranslationBlock | null, TranslationBlock | null];
  /** Cleared when invalidated; a chained jump checks it before following a link. */
  valid: boolean;
}
