// The register file of a vCPU with room after it: the cold tier's interpreter
// keeps TB temps in the same buffer, right after the env slots, so that IR
// globals (env slots) and temps are all indexes into one Int32Array frame
// and an interpreted TB needs no register load or write-back.

/** Frame slots for interpreter temps after the env slots (a TB needing more is compiled instead). */
export const INTERP_TEMP_SLOTS = 4096;

/** An env of `slots` int32 slots, zeroed, followed by INTERP_TEMP_SLOTS in the same buffer. */
export function createVcpuEnv(slots: number): Int32Array {
  return new Int32Array(new ArrayBuffer((slots + INTERP_TEMP_SLOTS) * 4), 0, slots);
}
