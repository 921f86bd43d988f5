// Backward liveness and dead-code removal (QEMU's liveness_pass_1). Every
// global is live at a TB exit; a pure op whose outputs are all dead goes. This
// is what removes flag computations that a later instruction overwrites.
// An op that can fault (a memory access) is an exit too: its signal handler
// sees every guest register and flag, so all globals are live before it
// (QEMU's la_global_sync at qemu_ld/qemu_st).

import type { IrGlobals } from './globals.js';
import { OPCODES, OPF_BB_END, OPF_MAY_FAULT, OPF_SIDE_EFFECTS, type Op } from './opcodes.js';
import { FAULT_LIVENESS } from '../shared/signal-cost-switches.js';

function isRemovable(op: Op): boolean {
  return (OPCODES[op.opc].flags & OPF_SIDE_EFFECTS) === 0;
}

export function removeDeadCode(ops: readonly Op[], tempCount: number, globals: IrGlobals): Op[] {
  const live = new Uint8Array(tempCount);
  const liveAtLabel = new Map<number, Uint8Array>();
  const keep: boolean[] = new Array(ops.length).fill(true);
  const setAllGlobalsLive = (): void => {
    live.fill(0);
    live.fill(1, 0, globals.count);
  };
  setAllGlobalsLive();
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    const d = OPCODES[op.opc];
    if (d.flags & OPF_BB_END) {
      setAllGlobalsLive();
    } else if (op.opc === 'set_label') {
      liveAtLabel.set(op.args[0]!, live.slice());
      continue;
    } else if (op.opc === 'brcond') {
      const atLabel = liveAtLabel.get(op.args[3]!);
      if (!atLabel) throw new Error('internal: backward branch in IR');
      for (let t = 0; t < tempCount; t++) live[t] = live[t]! | atLabel[t]!;
    }
    // Indexed loops, no slices or callbacks: this runs over every op of every TB, unoptimised at first in a new worker.
    const args = op.args;
    if (isRemovable(op)) {
      let anyLive = false;
      for (let j = 0; j < d.outs; j++) if (live[args[j]!]) anyLive = true;
      if (!anyLive) {
        keep[i] = false;
        continue;
      }
    }
    for (let j = 0; j < d.outs; j++) live[args[j]!] = 0;
    for (let j = d.outs; j < d.outs + d.ins; j++) live[args[j]!] = 1;
    if (d.flags & OPF_MAY_FAULT && FAULT_LIVENESS) live.fill(1, 0, globals.count);
  }
  const out: Op[] = [];
  for (let i = 0; i < ops.length; i++) if (keep[i]) out.push(ops[i]!);
  return out;
}
