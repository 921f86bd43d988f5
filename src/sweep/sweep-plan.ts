// A sweep's plan as a line of its own at the head of every results file
// (kind 'sweep-plan'): the plan's hash, the shard the file holds, the
// command that made it and the names of all the plan's units, so that
// `mttcg report --from` can tell which plan a file belongs to, whether the
// files together cover it, and what to run again when they do not, from
// the files alone. Every record a sweep writes carries the same hash and
// shard (SweepTag).
//
// The hash covers what decides the results (the units with their
// arguments, op-count policy, time limits, profile and scale), not how the
// command was spelled or which shard ran it, so every shard of one sweep,
// and an unsharded run of the same plan, share it.

import { createHash } from 'node:crypto';
import type { HostInfo } from '../host/host-info.js';
import { readJsonLines } from '../host/jsonl-file.js';
import { assignShards, type Shard } from './shard.js';

export const SWEEP_PLAN_KIND = 'sweep-plan';
export const SWEEP_PLAN_VERSION = 1;

export type SweepCommand = 'torture' | 'bench' | 'report';

/** Unit names in plan order (unit-ids.ts): torture runs and benchmark runs. */
export interface SweepUnits {
  readonly torture: readonly string[];
  readonly bench: readonly string[];
}

export interface SweepHeader {
  readonly kind: typeof SWEEP_PLAN_KIND;
  readonly version: typeof SWEEP_PLAN_VERSION;
  /** 16 hex digits of a SHA-256 of the plan's definition (planHashOf). */
  readonly planHash: string;
  readonly command: SweepCommand;
  /** The profile the plan was made from (torture and report plans), else null. */
  readonly profile: 'quick' | 'full' | null;
  /** One line saying what the plan runs. */
  readonly describe: string;
  /** The command's arguments without --shard (what to run again for a missing shard). */
  readonly argv: readonly string[];
  readonly units: SweepUnits;
  /** The shard this file holds. */
  readonly shard: Shard;
  /** The machine that started the file, and when. */
  readonly host: HostInfo;
  readonly time: string;
}

/** What every record of a sweep carries. */
export interface SweepTag {
  readonly planHash: string;
  readonly shard: Shard;
}

/** A run of one shard: its header, and the units that shard is to run. */
export interface SweepRun {
  readonly header: SweepHeader;
  readonly torture: ReadonlySet<string>;
  readonly bench: ReadonlySet<string>;
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function planHashOf(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 16);
}

/** What makes a header: its fields but the hash, version and time, and the definition the hash is of. */
export interface HeaderParts extends Pick<SweepHeader, 'command' | 'profile' | 'describe' | 'argv' | 'units' | 'shard' | 'host'> {
  /** Everything that decides the results (hashed). */
  readonly definition: unknown;
}

export function makeSweepHeader(p: HeaderParts): SweepHeader {
  return {
    kind: SWEEP_PLAN_KIND,
    version: SWEEP_PLAN_VERSION,
    planHash: planHashOf({ command: p.command, definition: p.definition }),
    command: p.command,
    profile: p.profile,
    describe: p.describe,
    argv: [...p.argv],
    units: { torture: [...p.units.torture], bench: [...p.units.bench] },
    shard: p.shard,
    host: p.host,
    time: new Date().toISOString(),
  };
}

const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

export function isSweepHeader(x: unknown): x is SweepHeader {
  if (typeof x !== 'object' || x === null) return false;
  const h = x as Record<string, unknown>;
  const units = h.units as Record<string, unknown> | null;
  const shard = h.shard as Record<string, unknown> | null;
  return (
    h.kind === SWEEP_PLAN_KIND && h.version === SWEEP_PLAN_VERSION &&
    typeof h.planHash === 'string' &&
    (h.command === 'torture' || h.command === 'bench' || h.command === 'report') &&
    isStrings(h.argv) &&
    typeof units === 'object' && units !== null && isStrings(units.torture) && isStrings(units.bench) &&
    typeof shard === 'object' && shard !== null && Number.isInteger(shard.index) && Number.isInteger(shard.count) &&
    typeof h.host === 'object' && h.host !== null
  );
}

export function isSweepTag(x: unknown): x is SweepTag {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Record<string, unknown>;
  const s = t.shard as Record<string, unknown> | null;
  return typeof t.planHash === 'string' && typeof s === 'object' && s !== null && Number.isInteger(s.index) && Number.isInteger(s.count);
}

/** The plan headers in a results file (its other lines are records, or lines cut short). */
export function readSweepHeaders(file: string): SweepHeader[] {
  return readJsonLines(file, isSweepHeader).records;
}

/** One header per plan and shard, the first of each, in order. */
export function uniqueHeaders(headers: readonly SweepHeader[]): SweepHeader[] {
  const seen = new Set<string>();
  return headers.filter((h) => {
    const k = `${h.planHash} ${h.shard.index}/${h.shard.count}`;
    return !seen.has(k) && Boolean(seen.add(k));
  });
}

export function tagOf(h: SweepHeader): SweepTag {
  return { planHash: h.planHash, shard: h.shard };
}

/** Which shard (1..count) each unit of a plan belongs to: torture and benchmark units are dealt out together. */
export function shardsOfUnits(units: SweepUnits, count: number): { torture: number[]; bench: number[] } {
  const all = [...units.torture.map((u) => `torture ${u}`), ...units.bench.map((u) => `bench ${u}`)];
  const shards = assignShards(all, count);
  return { torture: shards.slice(0, units.torture.length), bench: shards.slice(units.torture.length) };
}

/** The run of the header's shard: the units it is to run. */
export function sweepRunOf(header: SweepHeader): SweepRun {
  const s = shardsOfUnits(header.units, header.shard.count);
  const mine = (names: readonly string[], of: number[]): Set<string> => new Set(names.filter((_, i) => of[i] === header.shard.index));
  return { header, torture: mine(header.units.torture, s.torture), bench: mine(header.units.bench, s.bench) };
}
