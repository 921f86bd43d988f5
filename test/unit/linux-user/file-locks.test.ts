// The run's lock table (linux-user/file-locks.ts) on its own: conflicts by
// owner, type and range; an owner's ranges of one type merging, another type
// cutting them back or splitting them; release by owner and kind; the table
// filling up (ENOLCK) without changing anything.
import t from 'tap';
import { FileLocks, KIND_FLOCK, KIND_POSIX, LOCK_EXCLUSIVE, LOCK_SHARED, NO_LOCKS, type HeldLock } from '../../../src/emulator/linux-user/file-locks.js';

const FILE = { devLo: 8, devHi: 0, inoLo: 1234, inoHi: 0 };
const OTHER_FILE = { devLo: 8, devHi: 0, inoLo: 1234, inoHi: 1 };
const A = 1;
const B = 2;

/** Owner A's locks as B sees them: the conflicting lock for an exclusive probe at each position. */
function seenBy(locks: FileLocks, owner: number, upTo: number): string {
  let out = '';
  for (let at = 0; at < upTo; at++) {
    const h = locks.conflict(KIND_POSIX, FILE, owner, LOCK_EXCLUSIVE, at, at + 1);
    out += h === null ? '.' : h.type === LOCK_EXCLUSIVE ? 'W' : 'R';
  }
  return out;
}

t.test('conflicts need another owner, an overlap and an exclusive side', async (t) => {
  const locks = new FileLocks(FileLocks.create());
  t.equal(locks.any(), false);
  t.equal(locks.set(KIND_POSIX, FILE, A, 100, LOCK_EXCLUSIVE, 0, 10), true);
  t.equal(locks.any(), true);
  t.equal(locks.conflict(KIND_POSIX, FILE, A, LOCK_EXCLUSIVE, 0, 10), null, 'never with itself');
  t.same(locks.conflict(KIND_POSIX, FILE, B, LOCK_SHARED, 9, 20), { type: LOCK_EXCLUSIVE, start: 0, end: 10, pid: 100 });
  t.equal(locks.conflict(KIND_POSIX, FILE, B, LOCK_SHARED, 10, 20), null, 'ranges are half-open');
  t.equal(locks.conflict(KIND_POSIX, OTHER_FILE, B, LOCK_EXCLUSIVE, 0, 10), null, 'another inode');
  t.equal(locks.conflict(KIND_FLOCK, FILE, B, LOCK_EXCLUSIVE, 0, Infinity), null, 'flock and record locks are apart');
  t.equal(locks.set(KIND_POSIX, FILE, A, 100, LOCK_SHARED, 20, 30), true);
  t.equal(locks.conflict(KIND_POSIX, FILE, B, LOCK_SHARED, 20, 30), null, 'two readers share');
  const r = locks.set(KIND_POSIX, FILE, B, 200, LOCK_EXCLUSIVE, 25, Infinity) as HeldLock;
  t.same(r, { type: LOCK_SHARED, start: 20, end: 30, pid: 100 }, 'a writer is refused, told what is in the way');
});

t.test('an owner\'s ranges merge, and are cut or split by another type', async (t) => {
  const locks = new FileLocks(FileLocks.create());
  locks.set(KIND_POSIX, FILE, A, 1, LOCK_SHARED, 0, 4);
  locks.set(KIND_POSIX, FILE, A, 1, LOCK_SHARED, 8, 12);
  locks.set(KIND_POSIX, FILE, A, 1, LOCK_SHARED, 4, 8);
  t.same(locks.conflict(KIND_POSIX, FILE, B, LOCK_EXCLUSIVE, 5, 6), { type: LOCK_SHARED, start: 0, end: 12, pid: 1 }, 'touching ranges merged');
  locks.set(KIND_POSIX, FILE, A, 1, LOCK_EXCLUSIVE, 3, 5);
  t.equal(seenBy(locks, B, 14), 'RRRWWRRRRRRR..', 'a write lock inside splits the read lock');
  locks.set(KIND_POSIX, FILE, A, 1, 0, 0, 4);
  t.equal(seenBy(locks, B, 14), '....WRRRRRRR..', 'unlocking cuts across types');
  locks.set(KIND_POSIX, FILE, A, 1, LOCK_EXCLUSIVE, 10, Infinity);
  t.equal(seenBy(locks, B, 14), '....WRRRRRWWWW', 'a lock to the end of file replaces the tail');
  locks.releaseAll(KIND_POSIX, FILE, A);
  t.equal(seenBy(locks, B, 14), '..............', 'release drops every range of the owner');
  t.equal(locks.any(), false);
});

t.test('a full table refuses a change that needs room and changes nothing', async (t) => {
  const locks = new FileLocks(FileLocks.create());
  t.equal(locks.set(KIND_POSIX, FILE, A, 1, LOCK_EXCLUSIVE, 2000, 3000), true);
  let n = 1;
  while (locks.set(KIND_POSIX, FILE, A, 1, n % 2 ? LOCK_SHARED : LOCK_EXCLUSIVE, n, n + 1) === true) n++;
  t.equal(n, 1024, 'the table holds 1024 locks');
  t.equal(locks.set(KIND_POSIX, FILE, B, 2, LOCK_SHARED, 5000, 5001), NO_LOCKS);
  t.equal(locks.set(KIND_POSIX, FILE, A, 1, 0, 2500, 2501), NO_LOCKS, 'a split needs an entry');
  t.same(locks.conflict(KIND_POSIX, FILE, B, LOCK_SHARED, 2500, 2501), { type: LOCK_EXCLUSIVE, start: 2000, end: 3000, pid: 1 }, 'nothing changed');
  t.equal(locks.set(KIND_POSIX, FILE, A, 1, 0, 1, 3), true, 'an unlock that frees entries still works');
  t.equal(seenBy(locks, B, 5), '...RW');
  t.equal(locks.set(KIND_POSIX, FILE, A, 1, 0, 2500, 2501), true, 'and then the split has room');
  t.equal(locks.conflict(KIND_POSIX, FILE, B, LOCK_SHARED, 2500, 2501), null);
});

t.test('every change wakes the waiters\' word', async (t) => {
  const locks = new FileLocks(FileLocks.create());
  const s0 = locks.seq();
  locks.set(KIND_FLOCK, FILE, A, 1, LOCK_EXCLUSIVE, 0, Infinity);
  t.ok(locks.seq() !== s0, 'a new lock');
  const s1 = locks.seq();
  locks.set(KIND_FLOCK, FILE, B, 2, LOCK_SHARED, 0, Infinity);
  t.equal(locks.seq(), s1, 'a refused one changes nothing');
  locks.releaseAll(KIND_FLOCK, FILE, A);
  t.ok(locks.seq() !== s1, 'a release');
});
