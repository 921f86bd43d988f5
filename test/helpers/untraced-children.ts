// Installed into every test process by untraced-children-preload.ts, which
// tap loads after its own preloads (package.json: tap.node-arg). tap loads @tapjs/processinfo into each test process and,
// through the process-on-spawn hook, into every process a test starts: each
// mttcg child (and each of its vCPU workers) then loads its modules through
// processinfo's module hook, which about doubles its CPU time
// (reports/measurements/test-suite.md). That bookkeeping only serves coverage,
// which this project's tap config disables; so the children a test starts
// are started without it: this spawn listener, run after processinfo's,
// takes processinfo's --import back out of the child's NODE_OPTIONS.
// Outside tap (no hook installed) it does nothing.

type SpawnOptions = { env: Record<string, string | undefined> };
type SpawnHookState = { listeners: ((opts: SpawnOptions) => void)[] };

/** NODE_OPTIONS without @tapjs/processinfo's import (options are separated by spaces, each may be quoted). */
export function withoutProcessInfo(nodeOptions: string): string {
  const words = nodeOptions.match(/"[^"]*"|\S+/g) ?? [];
  return words.filter((w) => !/@tapjs[\\/]processinfo/.test(w)).join(' ');
}

function untraceChild(opts: SpawnOptions): void {
  const current = opts.env.NODE_OPTIONS;
  if (current === undefined || !/@tapjs[\\/]processinfo/.test(current)) return;
  const rest = withoutProcessInfo(current);
  const env = { ...opts.env };
  if (rest === '') delete env.NODE_OPTIONS;
  else env.NODE_OPTIONS = rest;
  opts.env = env;
}

/** Installs the listener; false when no spawn hook is there (not under tap). */
export function installUntracedChildren(): boolean {
  const state = (globalThis as Record<symbol, SpawnHookState | undefined>)[Symbol.for('process-on-spawn@*:singletonId')];
  if (!state) return false;
  if (!state.listeners.includes(untraceChild)) state.listeners.push(untraceChild);
  return true;
}
