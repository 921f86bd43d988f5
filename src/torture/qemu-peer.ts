// qemu-arm as a peer column of the torture matrix: real QEMU 7.2 linux-user,
// whose exclusives are the cmpxchg scheme (a value-comparing STREX). Its
// predictions are therefore cmpxchg's, except syscall-monitor: qemu-arm does
// not clear the reservation when a syscall returns (measured,
// torture-tests/atomics/README.md), so a STREX after a syscall succeeds.
// A peer column is reported like any other but never counts as a broken claim.

import { guaranteesExcept, type Guarantees } from '../emulator/atomics/guarantees.js';
import { findStrategy } from '../machine/strategy-registry.js';
import { qemuArmVersion } from '../host/host-info.js';

export const QEMU_PEER = 'qemu-arm';

export function qemuPeerGuarantees(): Guarantees {
  return guaranteesExcept({ ...findStrategy('cmpxchg').guarantees({}), 'syscall-monitor': 'fail' });
}

export function qemuInstalled(): boolean {
  return qemuArmVersion() !== null;
}
