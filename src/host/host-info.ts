// What a result was measured on: recorded beside every torture matrix and
// every benchmark line, so a reader can tell a 2-core laptop from a server.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';

export interface HostInfo {
  readonly cpuModel: string;
  /** Logical CPUs the OS reports; vCPU counts above this are oversubscribed. */
  readonly cores: number;
  readonly node: string;
  /** First line of `qemu-arm --version`, or null when qemu-arm is not installed. */
  readonly qemu: string | null;
  readonly os: string;
  readonly arch: string;
  readonly memoryGiB: number;
  /**
   * Which machine, without naming it: the first 12 hex digits of a SHA-256
   * of the hostname and /etc/machine-id; reports name the machines whose
   * records they pool (of one kind, below). Records written before it
   * existed carry `hostname` instead (hostIdOf derives the id from it).
   */
  readonly hostId: string;
  /**
   * What kind of machine (hostKindOf): results of machines of one kind may
   * be pooled (the shards of a sweep over a homogeneous cluster), results of
   * different kinds never are. Absent in records written before sweeps
   * (hostKindOf derives it from the other fields).
   */
  readonly hostKind?: string;
}

/** The fields that make two machines one kind (hostKindOf). */
export type HostKindFields = Pick<HostInfo, 'cpuModel' | 'cores' | 'arch' | 'node' | 'qemu'>;

/**
 * A host kind: the first 12 hex digits of a SHA-256 of the CPU model, the
 * logical core count, the architecture, the Node.js version and the
 * qemu-arm version. Machines that agree on all five run the same code on
 * the same kind of cores with the same peer, so their records may be
 * pooled; memory size, kernel release and the machine's identity are
 * recorded but do not split a kind. Computed from the fields (never read
 * from hostKind), so an edited record cannot claim another kind.
 */
export function hostKindOf(h: HostKindFields): string {
  const fields = [h.cpuModel, h.cores, h.arch, h.node, h.qemu ?? null];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 12);
}

/** A short, stable, anonymous machine id (see HostInfo.hostId). */
export function makeHostId(name: string, machineId: string): string {
  return createHash('sha256').update(`${name}\n${machineId}`).digest('hex').slice(0, 12);
}

function machineId(): string {
  try {
    return readFileSync('/etc/machine-id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** The host id of a recorded HostInfo, also for records that predate hostId (they have a hostname). */
export function hostIdOf(h: HostInfo | (Omit<HostInfo, 'hostId'> & { hostname?: string })): string {
  if ('hostId' in h && typeof h.hostId === 'string') return h.hostId;
  const legacy = (h as { hostname?: unknown }).hostname;
  return makeHostId(typeof legacy === 'string' ? legacy : `${h.cpuModel}/${h.cores}`, '');
}

let cachedId: string | undefined;

let cachedQemu: string | null | undefined;

/** `qemu-arm --version`'s first line, or null if it cannot be run. */
export function qemuArmVersion(): string | null {
  if (cachedQemu === undefined) {
    const r = spawnSync('qemu-arm', ['--version'], { encoding: 'utf8' });
    cachedQemu = r.status === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : null;
  }
  return cachedQemu;
}

export function hostInfo(): HostInfo {
  const cpuList = cpus();
  const kind: HostKindFields = {
    cpuModel: (cpuList[0]?.model ?? 'unknown').trim(),
    cores: cpuList.length,
    node: process.version,
    qemu: qemuArmVersion(),
    arch: arch(),
  };
  return {
    ...kind,
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    hostId: (cachedId ??= makeHostId(hostname(), machineId())),
    hostKind: hostKindOf(kind),
  };
}
