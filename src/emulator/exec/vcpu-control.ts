// Cross-vCPU coordination a vCPU needs (QEMU's cpu_exit, async_run_on_cpu,
// start_exclusive/end_exclusive). The implementation is exec/vcpu-table.ts.

export interface VcpuControl {
  /** Called by the cpu loop at every TB boundary where a request is pending. */
  readonly pending: Int32Array;
  /** Index in `pending` of this vCPU's request word (non-zero: leave the fast loop). */
  readonly pendingIndex: number;
  /** Serves this vCPU's pending requests (TLB flush, park for safe work). */
  serveRequests(): void;
  /**
   * Drops TLB entries for a range here and on the vCPUs `tlbUsers` names
   * (GuestMemory's TLB-user record; default: every vCPU), acknowledged before returning.
   */
  flushTlbRange(start: number, len: number, tlbUsers?: number): void;
  /** Every other vCPU drops its entries for one page before its next access there. */
  flushOthersPage(page: number): void;
  /** Runs fn while every other vCPU is parked or blocked in the kernel. */
  stopTheWorld<T>(fn: () => T): T;
  enterBlocking(infinite: boolean): void;
  leaveBlocking(): void;
}
