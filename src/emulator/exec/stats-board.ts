// Where vCPUs publish their --stats counters so the supervisor can read them
// even for vCPUs that are still running or blocked when the process exits:
// one JSON record per slot in a SharedArrayBuffer, guarded by a sequence word.

import { MAX_VCPUS } from './vcpu-table.js';

const RECORD_BYTES = 4096;

export class StatsBoard {
  private readonly bytes: Uint8Array;
  private readonly seq: Int32Array;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(MAX_VCPUS * (RECORD_BYTES + 4));
  }

  constructor(buffer: SharedArrayBuffer) {
    this.seq = new Int32Array(buffer, 0, MAX_VCPUS);
    this.bytes = new Uint8Array(buffer, MAX_VCPUS * 4);
  }

  publish(slot: number, record: Record<string, number | string>): void {
    const data = Buffer.from(JSON.stringify(record));
    if (data.length > RECORD_BYTES - 4) throw new Error('internal: stats record too large');
    const off = slot * RECORD_BYTES;
    Atomics.add(this.seq, slot, 1); // odd: writing
    new DataView(this.bytes.buffer, this.bytes.byteOffset + off, 4).setUint32(0, data.length, true);
    this.bytes.set(data, off + 4);
    Atomics.add(this.seq, slot, 1); // even: stable
  }

  read(slot: number): Record<string, number | string> | null {
    for (let attempt = 0; attempt < 100; attempt++) {
      const s0 = Atomics.load(this.seq, slot);
      if (s0 === 0) return null;
      if (s0 & 1) continue;
      const off = slot * RECORD_BYTES;
      const len = new DataView(this.bytes.buffer, this.bytes.byteOffset + off, 4).getUint32(0, true);
      const text = Buffer.from(this.bytes.slice(off + 4, off + 4 + len)).toString();
      if (Atomics.load(this.seq, slot) === s0) return JSON.parse(text) as Record<string, number | string>;
    }
    return null;
  }
}
