// Delivery of a thread's pending signals at a TB boundary (the kernel's
// get_signal + handle_signal): ignored signals are dropped, a default action
// that ends the process ends it.

import { ProcessExit } from './guest-exit.js';
import { DefaultAction, defaultAction, SIG_DFL, SIG_IGN, signalName } from './signal-numbers.js';
import type { ThreadContext } from './thread-context.js';

export class SignalDelivery {
  constructor(private readonly ctx: ThreadContext) {}

  /** Delivers every pending signal this thread does not block. */
  deliverPending(): void {
    const s = this.ctx.signals;
    const slot = this.ctx.vcpuIndex;
    for (;;) {
      const info = s.dequeue(slot, ~s.blockedLo(slot), ~s.blockedHi(slot));
      if (info === null) return;
      const sig = info[0]!;
      const handler = s.handler(sig);
      if (handler === SIG_IGN || (handler === SIG_DFL && defaultAction(sig) === DefaultAction.IGNORE)) continue;
      if (handler !== SIG_DFL) {
        this.ctx.warnOnce(`signal-handler-${sig}`,
          `mttcg: ${signalName(sig)} has a guest handler, but mttcg does not run handlers yet; ending the process`);
      }
      throw new ProcessExit(128 + sig, `thread ${this.ctx.tid} received ${signalName(sig)}`, sig);
    }
  }
}
