// The set monitor (chunk-monitor.ts): Cota's reservation sets. A LDREX joins
// the chunk's set (tiny-set.ts) under the entry lock, counts itself on the
// frame (frame-reservations.ts) and waits out unlocked stores to the frame
// before it loads; a store under the lock empties the set, the frame's count
// falling by the members removed; a STREX stores only if its vCPU is still a
// member. Translated code does the same inline (inline-exclusives.ts).

import type { LockCounters } from '../emulator/shared/shared-lock.js';
import { EntryWord } from './aie-entry.js';
import type { ChunkMonitor } from './chunk-monitor.js';
import { lockEntry, unlockEntry } from './entry-lock.js';
import type { FrameReservations } from './frame-reservations.js';
import type { SharedArena } from './shared-arena.js';
import { setAdd, setClear, setHas, setKeepOnly, setRemove } from './tiny-set.js';

export class SetMonitor implements ChunkMonitor {
  readonly countsFrames = true;

  constructor(
    private readonly words: Int32Array,
    private readonly arena: SharedArena,
    private readonly me: number,
    private readonly reservations: FrameReservations,
    private readonly c: LockCounters & { unlockedStoreWaits: number; reservationsLeft: number },
  ) {}

  reserve(e: number, frame: number, prev: number, load: () => void): void {
    if (prev !== 0 && prev !== e && this.leave(prev)) this.c.reservationsLeft++;
    lockEntry(this.words, e + EntryWord.LOCK, this.c);
    try {
      if (setAdd(this.words, this.arena, e, this.me)) this.reservations.changed(e, 1);
    } finally {
      unlockEntry(this.words, e + EntryWord.LOCK);
    }
    // Outside the lock: a store under the entry lock from here on empties the set (the STREX fails);
    // one that read the frame's count before ours is waited out; so the load sees every earlier store.
    if (this.reservations.awaitStores(frame)) this.c.unlockedStoreWaits++;
    load();
  }

  commit(e: number, store: () => void): boolean {
    lockEntry(this.words, e + EntryWord.LOCK, this.c);
    try {
      const ok = setHas(this.words, e, this.me);
      if (ok) {
        store();
        this.reservations.changed(e, -setClear(this.words, e));
      }
      return ok;
    } finally {
      unlockEntry(this.words, e + EntryWord.LOCK);
    }
  }

  leave(e: number): boolean {
    lockEntry(this.words, e + EntryWord.LOCK, this.c);
    const was = setRemove(this.words, e, this.me);
    if (was) this.reservations.changed(e, -1);
    unlockEntry(this.words, e + EntryWord.LOCK);
    return was;
  }

  storedAndRelease(e: number, keepOwn: boolean): void {
    try {
      this.reservations.changed(e, -(keepOwn ? setKeepOnly(this.words, e, this.me) : setClear(this.words, e)));
    } finally {
      unlockEntry(this.words, e + EntryWord.LOCK);
    }
  }
}
