// A fixed-size shared resource ran out during a run (guest memory, a
// strategy's arena). It ends the process with exit status 137 and a message
// that names the option which sizes the resource, never as an internal error.

export class ResourceExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceExhausted';
  }
}
