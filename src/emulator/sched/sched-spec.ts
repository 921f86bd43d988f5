// What `--sched` asks for, as plain data that crosses to the vCPU workers:
//
//   seed:N[,depth=D][,steps=K][,slice=S][,policy=pct|chaos][,events=memory|atomics][,record=FILE]
//   replay:FILE
//
// docs/scheduler.md explains each field and the probability guarantee.

import { readFileSync } from 'node:fs';

export type SchedPolicy = 'pct' | 'chaos';
/** Which guest instructions are scheduling points (syscalls always are). */
export type SchedEvents = 'memory' | 'atomics';

export interface SchedSpec {
  readonly seed: number;
  /** PCT's bug depth d: d-1 priority change points. */
  readonly depth: number;
  /** PCT's k: the change points are drawn from steps 1..k. */
  readonly steps: number;
  /** Steps a thread may run while another is runnable before it is demoted (bounds starvation). */
  readonly slice: number;
  readonly policy: SchedPolicy;
  readonly events: SchedEvents;
  /** Write every switch (step, thread) here. */
  readonly recordFile: string | null;
  /** Replay this schedule (step, thread) instead of deciding. */
  readonly replay: readonly (readonly [number, number])[] | null;
  /** The file the replay came from (for messages). */
  readonly replayFile: string | null;
}

export const DEFAULT_DEPTH = 3;
export const DEFAULT_STEPS = 20_000;
export const DEFAULT_SLICE = 2_000;
/** Change points at most (depth - 1). */
export const MAX_CHANGE_POINTS = 15;

export class SchedSpecError extends Error {}

const SCHEDULE_HEADER = '# mttcg schedule v1';

function intField(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new SchedSpecError(`--sched ${name}=${text}: expected an integer from ${min} to ${max}`);
  }
  return n;
}

/** Parses the value of --sched (see the head of this file). */
export function parseSchedSpec(text: string): SchedSpec {
  if (text.startsWith('replay:')) return readSchedule(text.slice('replay:'.length));
  const m = /^seed:(\d+)((?:,[a-z]+=[^,]*)*)$/.exec(text);
  if (!m) throw new SchedSpecError(`--sched ${text}: expected seed:N[,depth=D][,steps=K][,slice=S][,policy=pct|chaos][,events=memory|atomics][,record=FILE] or replay:FILE`);
  const seed = intField('seed', m[1]!, 0, 2 ** 32 - 1);
  let depth = DEFAULT_DEPTH;
  let steps = DEFAULT_STEPS;
  let slice = DEFAULT_SLICE;
  let policy: SchedPolicy = 'pct';
  let events: SchedEvents = 'memory';
  let recordFile: string | null = null;
  for (const field of m[2]!.split(',').filter((f) => f !== '')) {
    const [key, value] = [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)];
    switch (key) {
      case 'depth': depth = intField(key, value, 1, MAX_CHANGE_POINTS + 1); break;
      case 'steps': steps = intField(key, value, 1, 2 ** 31 - 1); break;
      case 'slice': slice = intField(key, value, 1, 2 ** 31 - 1); break;
      case 'policy':
        if (value !== 'pct' && value !== 'chaos') throw new SchedSpecError(`--sched policy=${value}: expected pct or chaos`);
        policy = value;
        break;
      case 'events':
        if (value !== 'memory' && value !== 'atomics') throw new SchedSpecError(`--sched events=${value}: expected memory or atomics`);
        events = value;
        break;
      case 'record':
        if (value === '') throw new SchedSpecError('--sched record=: expected a file name');
        recordFile = value;
        break;
      default:
        throw new SchedSpecError(`--sched: unknown field '${key}' (depth, steps, slice, policy, events, record)`);
    }
  }
  return { seed, depth, steps, slice, policy, events, recordFile, replay: null, replayFile: null };
}

/** The --sched value that reproduces a run of `spec` (without recording). */
export function formatSchedSpec(spec: SchedSpec): string {
  if (spec.replayFile !== null) return `replay:${spec.replayFile}`;
  const extra: string[] = [];
  if (spec.depth !== DEFAULT_DEPTH) extra.push(`depth=${spec.depth}`);
  if (spec.steps !== DEFAULT_STEPS) extra.push(`steps=${spec.steps}`);
  if (spec.slice !== DEFAULT_SLICE) extra.push(`slice=${spec.slice}`);
  if (spec.policy !== 'pct') extra.push(`policy=${spec.policy}`);
  if (spec.events !== 'memory') extra.push(`events=${spec.events}`);
  return [`seed:${spec.seed}`, ...extra].join(',');
}

/** The first lines of a schedule file: the header and the spec that made it. */
export function scheduleHeader(spec: SchedSpec): string {
  return `${SCHEDULE_HEADER}\n# ${formatSchedSpec(spec)}\n` +
    `spec ${spec.seed} ${spec.depth} ${spec.steps} ${spec.slice} ${spec.policy} ${spec.events}\n`;
}

/** One line per switch: the step at which thread `index` (in creation order, from 0) was chosen. */
export function scheduleLine(step: number, index: number): string {
  return `${step} ${index}\n`;
}

/** Reads a schedule written by record=FILE. */
function readSchedule(file: string): SchedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SchedSpecError(`--sched replay:${file}: cannot read it (${(e as Error).message})`);
  }
  const lines = text.split('\n');
  if (lines[0] !== SCHEDULE_HEADER) throw new SchedSpecError(`--sched replay:${file}: not a schedule (no '${SCHEDULE_HEADER}' line)`);
  let base: SchedSpec | null = null;
  const replay: [number, number][] = [];
  for (const [i, line] of lines.entries()) {
    if (line === '' || line.startsWith('#')) continue;
    const spec = /^spec (\d+) (\d+) (\d+) (\d+) (pct|chaos) (memory|atomics)$/.exec(line);
    if (spec) {
      base = parseSchedSpec(`seed:${spec[1]},depth=${spec[2]},steps=${spec[3]},slice=${spec[4]},policy=${spec[5]},events=${spec[6]}`);
      continue;
    }
    const sw = /^(\d+) (\d+)$/.exec(line);
    const last = replay[replay.length - 1];
    if (!sw || (last !== undefined && Number(sw[1]) <= last[0])) {
      throw new SchedSpecError(`--sched replay:${file}: line ${i + 1}: expected 'STEP THREAD' with steps increasing`);
    }
    replay.push([Number(sw[1]), Number(sw[2])]);
  }
  if (base === null) throw new SchedSpecError(`--sched replay:${file}: no 'spec' line`);
  return { ...base, replay, replayFile: file };
}
