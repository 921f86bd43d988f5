// Attaches to a process's signal state with the wake-ups that reach its
// vCPUs: the "signal pending" request bit in the vCPU table, and a notify on
// the guest word of a futex wait. Used by vCPU workers and the supervisor.

import type { VcpuTable } from '../exec/vcpu-table.js';
import { SignalState, WAIT_WORD_GUEST_MEMORY } from '../linux-user/signal-state.js';
import type { GuestMemory } from '../softmmu/guest-memory.js';

export function attachSignalState(buffer: SharedArrayBuffer, table: VcpuTable, mem: GuestMemory): SignalState {
  return new SignalState(buffer, {
    requestSignal: (slot) => table.requestSignal(slot),
    notifyWaitWord: (kind, index) => {
      // Wakes a thread sleeping in FUTEX_WAIT so that it sees its signal (other waiters re-check and sleep again).
      if (kind === WAIT_WORD_GUEST_MEMORY) Atomics.notify(mem.i32, index);
    },
  });
}
