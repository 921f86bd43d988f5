// The environment bin/mttcg hands over (cold start, docs/translator.md
// "Start-up"): put back by every entry of the command line before anything
// reads the environment or starts a worker or a process.

/**
 * bin/mttcg starts Node without NODE_EXTRA_CA_CERTS (Node parses that file at
 * every start; mttcg makes no TLS connection) and passes its value in this
 * variable: put back, the guest's environment and that of every process
 * mttcg starts are the user's.
 */
export const LAUNCHER_CA_ENV = 'MTTCG_NODE_EXTRA_CA_CERTS';

export function restoreLauncherEnvironment(): void {
  const ca = process.env[LAUNCHER_CA_ENV];
  if (ca === undefined) return;
  process.env.NODE_EXTRA_CA_CERTS = ca;
  delete process.env[LAUNCHER_CA_ENV];
}
