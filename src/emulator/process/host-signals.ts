// Signals the host sends to mttcg (a terminal's Ctrl-C, kill, a resized
// window, a child of ours) reach the first guest process as qemu-arm passes
// them on: SIGINT, SIGTERM, SIGHUP, SIGWINCH and SIGCHLD. A guest that
// handles or ignores one gets it (or not) as a signal from outside
// (si_code SI_USER, si_pid 0); where the guest leaves the default action,
// the run ends as that action would end the guest (status 128+sig), and
// SIGWINCH and SIGCHLD, ignored by default, change nothing.

import { PostOutcome, type SignalState } from '../linux-user/signal-state.js';
import { SIGCHLD, SIGHUP, SIGINT, SIGTERM, SIGWINCH, signalName } from '../linux-user/signal-numbers.js';
import { userInfo } from '../linux-user/siginfo.js';
import { HOST_UID } from '../linux-user/loader.js';

const FORWARDED: readonly [NodeJS.Signals, number][] = [
  ['SIGINT', SIGINT], ['SIGTERM', SIGTERM], ['SIGHUP', SIGHUP], ['SIGWINCH', SIGWINCH], ['SIGCHLD', SIGCHLD],
];

/**
 * Listens for the forwarded host signals until the returned function is
 * called. `end` ends the run (a default action that kills the guest).
 */
export function forwardHostSignals(signals: SignalState, end: (status: number, report: string) => void): () => void {
  const listeners = FORWARDED.map(([name, sig]) => {
    const listener = (): void => {
      const r = signals.postToProcess(sig, userInfo(sig, 0, HOST_UID));
      if (r === PostOutcome.FATAL) end(128 + sig, `the guest received ${signalName(sig)} from the host (default action)`);
    };
    process.on(name, listener);
    return [name, listener] as const;
  });
  return () => {
    for (const [name, listener] of listeners) process.off(name, listener);
  };
}
