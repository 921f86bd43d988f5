// The version monitor (chunk-monitor.ts, --aie-monitor version; session 12).
// Bits 2..31 of an entry's lock word are the chunk's version; only a lock
// holder that stored to the chunk changes it, advancing it in its release
// (entry-lock.ts, unlockEntryAdvancing). A LDREX reads the version and then
// the value, and remembers the version (env exclValLo); it writes no shared
// word. A STREX takes the lock and stores only if the version is still the
// one its LDREX read. A CLREX or a syscall only clears the local monitor.
// Translated code does the same inline (inline-version.ts). Why no store
// slips past a reservation: docs/strategy-aie.md, "The version monitor".

import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import type { LockCounters } from '../emulator/shared/shared-lock.js';
import { EntryWord } from './aie-entry.js';
import type { ChunkMonitor } from './chunk-monitor.js';
import { LOCK_BITS, lockEntry, unlockEntry, unlockEntryAdvancing } from './entry-lock.js';

export class VersionMonitor implements ChunkMonitor {
  readonly countsFrames = false;

  constructor(
    private readonly words: Int32Array,
    private readonly env: Int32Array,
    private readonly slots: StrategySlots,
    private readonly c: LockCounters,
  ) {}

  private version(e: number): number {
    return Atomics.load(this.words, e + EntryWord.LOCK) & ~LOCK_BITS;
  }

  reserve(e: number, _frame: number, _prev: number, load: () => void): void {
    // Under the lock, so that no store to the chunk is in flight: the version read is the one the value reflects.
    // The release does not advance it (nothing was stored).
    lockEntry(this.words, e + EntryWord.LOCK, this.c);
    try {
      this.env[this.slots.exclValLo] = this.version(e);
      load();
    } finally {
      unlockEntry(this.words, e + EntryWord.LOCK);
    }
  }

  commit(e: number, store: () => void): boolean {
    lockEntry(this.words, e + EntryWord.LOCK, this.c);
    if (this.version(e) !== this.env[this.slots.exclValLo]) {
      unlockEntry(this.words, e + EntryWord.LOCK);
      return false;
    }
    try {
      store();
    } finally {
      unlockEntryAdvancing(this.words, e + EntryWord.LOCK);
    }
    return true;
  }

  leave(_e: number): boolean {
    // No shared state: the reservation is the version this vCPU remembers, and the local monitor is cleared.
    return true;
  }

  storedAndRelease(e: number, keepOwn: boolean): void {
    const before = this.version(e);
    const after = unlockEntryAdvancing(this.words, e + EntryWord.LOCK);
    // This vCPU's own store beside its reserved bytes: its reservation moves to the new version, if no other store
    // had already cancelled it (its version would then be older than `before`).
    if (keepOwn && this.env[this.slots.exclValLo] === before) this.env[this.slots.exclValLo] = after;
  }
}
