// The run's file locks, shared by every guest process (all of them live in
// this host process, so the host kernel's locks, which Node cannot take
// anyway, would not separate them). Two kinds, as in Linux:
// - POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK): byte ranges owned
//   by an fd table (Linux's fl_owner is the files_struct: the threads of a
//   process share one, fork makes a new one), released by any close of an fd
//   for the file by that owner; an owner never conflicts with itself, its
//   ranges of one type merge, and a new range replaces the part of its old
//   ones it covers.
// - flock locks: the whole file, owned by an open file description, released
//   when its last fd closes (or by LOCK_UN).
// A file is named by its host device and inode. The table is one
// SharedArrayBuffer behind one lock; every change bumps a sequence word that
// blocked lockers wait on (guest-wait.ts).

import * as fs from 'node:fs';
import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';

export const LOCK_SHARED = 1;
export const LOCK_EXCLUSIVE = 2;

export const KIND_POSIX = 1;
export const KIND_FLOCK = 2;

/** A file's identity: the host's st_dev and st_ino, each split into two 32-bit words. */
export interface FileKey {
  readonly devLo: number;
  readonly devHi: number;
  readonly inoLo: number;
  readonly inoHi: number;
}

/** A host file's identity (st_dev, st_ino) from an fd open on it. */
export function fileKeyOf(hostFd: number): FileKey {
  const st = fs.fstatSync(hostFd, { bigint: true });
  return {
    devLo: Number(st.dev & 0xffffffffn) | 0,
    devHi: Number(st.dev >> 32n) | 0,
    inoLo: Number(st.ino & 0xffffffffn) | 0,
    inoHi: Number(st.ino >> 32n) | 0,
  };
}

/** A lock found in the way: its type, range [start, end) (end Infinity: to the end of any file) and pid. */
export interface HeldLock {
  readonly type: number;
  readonly start: number;
  readonly end: number;
  readonly pid: number;
}

const MAX_LOCKS = 1024;
const E_WORDS = 12;
const E_KIND = 0; // 0 = free
const E_TYPE = 1;
const E_OWNER = 2;
const E_PID = 3;
const E_DEV_LO = 4;
const E_DEV_HI = 5;
const E_INO_LO = 6;
const E_INO_HI = 7;
const E_START_LO = 8;
const E_START_HI = 9;
const E_END_LO = 10;
const E_END_HI = 11;
const TO_EOF = 2 ** 53; // stored for an end of Infinity

const H_LOCK = 0;
const H_SEQ = 1; // bumped by every change: blocked lockers wait on it
const H_USED = 2; // entries in use: 0 lets close() skip the table

const LAYOUT = new SharedLayout([
  { name: 'header', words: 16 },
  { name: 'entries', words: MAX_LOCKS * E_WORDS },
]);

/** Not enough free entries for the change (Linux's ENOLCK). */
export const NO_LOCKS = -1;

export class FileLocks {
  private readonly header: Int32Array;
  private readonly e: Int32Array;
  private readonly lock: SharedLock;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(LAYOUT.totalWords * 4);
  }

  constructor(buffer: SharedArrayBuffer) {
    this.header = LAYOUT.view(buffer, 'header');
    this.e = LAYOUT.view(buffer, 'entries');
    this.lock = new SharedLock(this.header, H_LOCK);
  }

  /** The word blocked lockers wait on, and its index. */
  get seqWord(): { array: Int32Array; index: number } {
    return { array: this.header, index: H_SEQ };
  }

  seq(): number {
    return Atomics.load(this.header, H_SEQ);
  }

  /** Whether any lock is held at all (close() asks before it looks up a file's identity). */
  any(): boolean {
    return Atomics.load(this.header, H_USED) !== 0;
  }

  /** The first lock of another owner that conflicts with `type` on [start, end), or null. */
  conflict(kind: number, key: FileKey, owner: number, type: number, start: number, end: number): HeldLock | null {
    return this.lock.withLock(() => {
      const i = this.conflictLocked(kind, key, owner, type, start, end);
      return i < 0 ? null : this.held(i);
    });
  }

  /**
   * Takes (type LOCK_SHARED/LOCK_EXCLUSIVE) or drops (type 0) owner's lock on
   * [start, end) unless another owner's lock conflicts: true when done, the
   * conflicting lock when not, NO_LOCKS when the table is full. flock locks
   * use the whole file (0, Infinity).
   */
  set(kind: number, key: FileKey, owner: number, pid: number, type: number, start: number, end: number): true | HeldLock | number {
    return this.lock.withLock(() => {
      if (type !== 0) {
        const c = this.conflictLocked(kind, key, owner, type, start, end);
        if (c >= 0) return this.held(c);
      }
      const r = this.replaceLocked(kind, key, owner, pid, type, start, end);
      if (r === true) this.changed();
      return r;
    });
  }

  /** Drops every lock of `kind` that owner holds on the file (close, process end). */
  releaseAll(kind: number, key: FileKey, owner: number): void {
    this.lock.withLock(() => {
      let dropped = false;
      for (let i = 0; i < MAX_LOCKS; i++) {
        if (this.isOwn(i, kind, key, owner)) {
          this.free(i);
          dropped = true;
        }
      }
      if (dropped) this.changed();
    });
  }

  private changed(): void {
    Atomics.add(this.header, H_SEQ, 1);
    Atomics.notify(this.header, H_SEQ);
  }

  private conflictLocked(kind: number, key: FileKey, owner: number, type: number, start: number, end: number): number {
    for (let i = 0; i < MAX_LOCKS; i++) {
      const b = i * E_WORDS;
      if (this.e[b + E_KIND] !== kind || this.e[b + E_OWNER] === owner || !this.sameFile(b, key)) continue;
      if (type !== LOCK_EXCLUSIVE && this.e[b + E_TYPE] !== LOCK_EXCLUSIVE) continue;
      if (this.startOf(b) < end && start < this.endOf(b)) return i;
    }
    return -1;
  }

  /**
   * Owner's locks on [start, end) become `type` (0: none). Same-type ranges
   * that overlap or touch merge into the new one; other ones are cut back,
   * split in two when the new range lies strictly inside.
   */
  private replaceLocked(kind: number, key: FileKey, owner: number, pid: number, type: number, start: number, end: number): true | number {
    // Entries a split needs, checked before anything changes.
    let need = type !== 0 ? 1 : 0;
    for (let i = 0; i < MAX_LOCKS; i++) {
      if (!this.isOwn(i, kind, key, owner)) continue;
      const b = i * E_WORDS;
      if (this.e[b + E_TYPE] !== type && this.startOf(b) < start && end < this.endOf(b)) need++;
    }
    if (need > MAX_LOCKS - Atomics.load(this.header, H_USED)) return NO_LOCKS;
    let s = start;
    let en = end;
    for (let i = 0; i < MAX_LOCKS; i++) {
      if (!this.isOwn(i, kind, key, owner)) continue;
      const b = i * E_WORDS;
      const os = this.startOf(b);
      const oe = this.endOf(b);
      if (type !== 0 && this.e[b + E_TYPE] === type) {
        if (os <= en && s <= oe) {
          s = Math.min(s, os);
          en = Math.max(en, oe);
          this.free(i);
        }
        continue;
      }
      if (oe <= start || end <= os) continue;
      if (os < start && end < oe) {
        this.setRange(b, os, start);
        this.add(kind, key, owner, this.e[b + E_PID]!, this.e[b + E_TYPE]!, end, oe);
      } else if (os < start) {
        this.setRange(b, os, start);
      } else if (end < oe) {
        this.setRange(b, end, oe);
      } else {
        this.free(i);
      }
    }
    if (type !== 0) this.add(kind, key, owner, pid, type, s, en);
    return true;
  }

  private add(kind: number, key: FileKey, owner: number, pid: number, type: number, start: number, end: number): void {
    for (let i = 0; i < MAX_LOCKS; i++) {
      const b = i * E_WORDS;
      if (this.e[b + E_KIND] !== 0) continue;
      this.e[b + E_TYPE] = type;
      this.e[b + E_OWNER] = owner;
      this.e[b + E_PID] = pid;
      this.e[b + E_DEV_LO] = key.devLo;
      this.e[b + E_DEV_HI] = key.devHi;
      this.e[b + E_INO_LO] = key.inoLo;
      this.e[b + E_INO_HI] = key.inoHi;
      this.setRange(b, start, end);
      this.e[b + E_KIND] = kind;
      Atomics.add(this.header, H_USED, 1);
      return;
    }
    throw new Error('file lock table full after the free-entry check'); // replaceLocked counted first
  }

  private free(i: number): void {
    this.e[i * E_WORDS + E_KIND] = 0;
    Atomics.sub(this.header, H_USED, 1);
  }

  private isOwn(i: number, kind: number, key: FileKey, owner: number): boolean {
    const b = i * E_WORDS;
    return this.e[b + E_KIND] === kind && this.e[b + E_OWNER] === owner && this.sameFile(b, key);
  }

  private sameFile(b: number, key: FileKey): boolean {
    return this.e[b + E_INO_LO] === key.inoLo && this.e[b + E_INO_HI] === key.inoHi
      && this.e[b + E_DEV_LO] === key.devLo && this.e[b + E_DEV_HI] === key.devHi;
  }

  private setRange(b: number, start: number, end: number): void {
    const e = end === Infinity ? TO_EOF : end;
    this.e[b + E_START_LO] = start % 0x100000000;
    this.e[b + E_START_HI] = Math.floor(start / 0x100000000);
    this.e[b + E_END_LO] = e % 0x100000000;
    this.e[b + E_END_HI] = Math.floor(e / 0x100000000);
  }

  private startOf(b: number): number {
    return (this.e[b + E_START_HI]! >>> 0) * 0x100000000 + (this.e[b + E_START_LO]! >>> 0);
  }

  private endOf(b: number): number {
    const e = (this.e[b + E_END_HI]! >>> 0) * 0x100000000 + (this.e[b + E_END_LO]! >>> 0);
    return e >= TO_EOF ? Infinity : e;
  }

  private held(i: number): HeldLock {
    const b = i * E_WORDS;
    return { type: this.e[b + E_TYPE]!, start: this.startOf(b), end: this.endOf(b), pid: this.e[b + E_PID]! };
  }
}
