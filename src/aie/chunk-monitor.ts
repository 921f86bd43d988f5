// What a reservation on an AIE chunk is (--aie-monitor). The helpers
// (aie-vcpu.ts, store-checks.ts) find the entry, take its lock for the
// operation and do the memory access; the monitor says what reserving,
// committing, leaving and storing do to the entry:
//
//   set      (set-monitor.ts, Cota's design; the default until session
//            12) a LDREX joins the chunk's reservation set and counts
//            itself on the frame; a store under the entry lock empties the
//            set; a STREX succeeds if its vCPU is still a member.
//   version  (version-monitor.ts, session 12; the default) a LDREX reads
//            the chunk's version (bits 2..31 of the entry's lock word) and
//            writes nothing; a store under the entry lock advances it; a
//            STREX succeeds if the version is still the one its LDREX read.
//
// docs/strategy-aie.md ("The version monitor") argues the second.

export interface ChunkMonitor {
  /**
   * LDREX on entry e (its chunk in host frame `frame`), after the entry is prepared; `prev` is the entry this vCPU
   * holds a reservation on (0: none). Calls `load` once, where the load sees every store the reservation must
   * reflect, and leaves in env what `commit` needs.
   */
  reserve(e: number, frame: number, prev: number, load: () => void): void;
  /** STREX on entry e, its reservation made by `reserve`: if it still holds, calls `store` under the entry lock and cancels every reservation on the chunk. Returns whether it stored. */
  commit(e: number, store: () => void): boolean;
  /** Gives the reservation on entry e up (CLREX, a syscall, a STREX to a remapped page). Returns whether there was one to give up. */
  leave(e: number): boolean;
  /**
   * With entry e's lock held, after a store to its chunk (SWP, a storing cmpxchg, a checked plain store): cancels
   * every reservation on the chunk but, if `keepOwn`, this vCPU's (its store missed the reserved bytes), and
   * releases the lock.
   */
  storedAndRelease(e: number, keepOwn: boolean): void;
  /** Whether unlocked stores may consult the frames' reservation counts (only the set monitor keeps them). */
  readonly countsFrames: boolean;
}
