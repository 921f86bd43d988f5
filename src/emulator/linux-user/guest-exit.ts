// Control-flow exceptions that end a guest thread or the whole process. They
// are thrown from syscalls (or signal delivery) and caught by the vCPU loop.

import type { ProcessImage } from './thread-context.js';

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
    /** The signal that ended the process (0 for exit_group): what a parent's wait4 sees. */
    readonly signal = 0,
  ) {
    super(report || `exit ${status}`);
    this.name = 'ProcessExit';
  }
}

/** execve succeeded: the thread goes on, alone in its process, in the new image. */
export class ImageReplaced extends Error {
  constructor(readonly image: ProcessImage) {
    super('execve');
    this.name = 'ImageReplaced';
  }
}
