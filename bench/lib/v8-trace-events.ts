// V8's optimisations and deoptimisations inside a guest's timed section, from
// the output of `node --trace-opt --trace-deopt` into which mttcg's section
// probe wrote its records (MTTCG_SECTION_PROBE=-, both streams
// line-buffered: bench/speed/steady-counters.ts --trace-v8). The events are
// the trace lines between the first read's record (written as its probe
// ends) and the last read's mark (written as its probe begins); V8's flags are the
// process's, so they are every isolate's (the other threads of a
// single-thread benchmark wait in a futex meanwhile).

import type { SectionProbeRecord } from '../../src/machine/section-probe.js';

export interface V8Events {
  /** Functions whose optimised code was finished ("[completed compiling ..."). */
  readonly optimised: number;
  /** The optimisations' compile time, ms (the three phases "took a, b, c ms" summed). */
  readonly compileMs: number;
  /** On-stack replacements begun ("[compiling method ... OSR"). */
  readonly osr: number;
  /** Deoptimisations ("[bailout ..."). */
  readonly deopts: number;
  /** What each event was: "opt NAME", "osr NAME", "deopt NAME (reason)". */
  readonly names: string[];
}

/** The function's name in a trace line ("<JSFunction NAME (sfi" ; anonymous functions have none). */
function functionName(line: string): string {
  const m = /<JSFunction ([^ >]*) ?\(sfi/.exec(line);
  return m && m[1] ? m[1] : '(anonymous)';
}

/** The index of the line that ends the probe of `r` (its record), or that begins it (its mark), or -1. */
function probeLine(lines: readonly string[], r: SectionProbeRecord, end: 'begin' | 'record'): number {
  const head = end === 'record'
    ? `{"kind":"section-probe","tid":${r.tid},"slot":${r.slot},"read":${r.read},`
    : `{"kind":"section-probe-begin","tid":${r.tid},"read":${r.read}}`;
  return lines.findIndex((l) => l.startsWith(head));
}

/** Counts the trace's events between the section's two records in `output`. */
export function countV8Events(output: string, start: SectionProbeRecord, end: SectionProbeRecord): V8Events {
  const lines = output.split('\n');
  // From the end of the first read's probe to the start of the last's.
  const from = probeLine(lines, start, 'record');
  const to = probeLine(lines, end, 'begin');
  if (from < 0 || to < from) throw new Error(`the section's probe records are not in the trace output (lines ${from}, ${to})`);
  let optimised = 0, osr = 0, deopts = 0, compileMs = 0;
  const names: string[] = [];
  for (const line of lines.slice(from + 1, to)) {
    if (line.startsWith('[completed compiling')) {
      optimised++;
      const took = /took ([0-9.]+), ([0-9.]+), ([0-9.]+) ms/.exec(line);
      const ms = took ? Number(took[1]) + Number(took[2]) + Number(took[3]) : 0;
      compileMs += ms;
      names.push(`opt ${functionName(line)} ${ms.toFixed(1)} ms`);
    } else if (line.startsWith('[compiling method') && / OSR\b/.test(line)) {
      osr++;
      names.push(`osr ${functionName(line)}`);
    } else if (line.startsWith('[bailout')) {
      deopts++;
      const reason = /reason: ([^)]*)\)/.exec(line)?.[1] ?? '?';
      names.push(`deopt ${functionName(line)} (${reason})`);
    }
  }
  return { optimised, compileMs, osr, deopts, names };
}
