// What a result was measured on: recorded beside every torture matrix and
// every benchmark line, so a reader can tell a 2-core laptop from a server.

import { spawnSync } from 'node:child_process';
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
  readonly hostname: string;
}

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
  return {
    cpuModel: (cpuList[0]?.model ?? 'unknown').trim(),
    cores: cpuList.length,
    node: process.version,
    qemu: qemuArmVersion(),
    os: `${platform()} ${release()}`,
    arch: arch(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    hostname: hostname(),
  };
}
