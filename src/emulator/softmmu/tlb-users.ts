// The TLB-user record of an address space (GuestMemory.tlbUsers): beside
// each PTE a word naming the vCPU(s) whose TLB may hold an entry for the
// page: 0 none, slot+1 one vCPU, TLB_USER_MANY several.
//
// A TLB fill records itself there *before* it loads the PTE (noteTlbUser,
// from Mmu.fill); a change of the PTE is stored *before* the users word is
// read (GuestMemory's map, unmap, protect, discard). With sequentially
// consistent Atomics, a fill either sees the new PTE or is seen by the
// change, so a shootdown that targets the recorded users reaches every TLB
// that can hold a stale entry, and a page only one thread touches (its
// stack, its malloc arena) is unmapped without disturbing any other vCPU.
// The record is reset only when a page becomes unmapped: a fill racing with
// that finds the page unmapped and installs nothing.

/** A users word: more than one vCPU (or one that did not say which) may hold entries for the page. */
export const TLB_USER_MANY = -1;

/** Adds a page's users word to an accumulated one (0 none, slot+1, TLB_USER_MANY). */
export function mergeTlbUsers(acc: number, users: number): number {
  if (users === 0 || users === acc) return acc;
  return acc === 0 ? users : TLB_USER_MANY;
}

/**
 * A TLB fill by vCPU `who` (slot + 1, or TLB_USER_MANY when unknown) is
 * about to read the PTE of `page`: records it first in `users`.
 */
export function noteTlbUser(users: Int32Array, page: number, who: number): void {
  // Load, then CAS or store: a change that stores the PTE first and loads this word after cannot miss us.
  const u = Atomics.load(users, page);
  if (u === who || u === TLB_USER_MANY) return;
  // A lost CAS (another vCPU recorded itself meanwhile) makes the page shared.
  if (u === 0 && Atomics.compareExchange(users, page, 0, who) === 0) return;
  Atomics.store(users, page, TLB_USER_MANY);
}
