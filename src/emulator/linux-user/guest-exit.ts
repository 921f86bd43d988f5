// Control-flow exceptions that end a guest thread or the whole process. They
// are thrown from syscalls (or signal delivery) and caught by the vCPU loop.

/** exit(2): this thread ends. */
export class ThreadExit extends Error {
  constructor(readonly code: number) {
    super(`thread exit ${code}`);
    this.name = 'ThreadExit';
  }
}

/** exit_group(2) or a fatal signal: the process ends with this wait status code. */
export class ProcessExit extends Error {
  constructor(
    /** Exit status as a shell sees it: code & 0xff, or 128 + signal. */
    readonly status: number,
    /** Why, for the report on stderr (empty for a normal exit). */
    readonly report: string,
  ) {
    super(report || `exit ${status}`);
    this.name = 'ProcessExit';
  }
}
