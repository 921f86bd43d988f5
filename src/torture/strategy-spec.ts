// Strategy specs for the torture matrix: `NAME` or `NAME:KEY=VALUE[:KEY=VALUE...]`,
// where KEY is a `mttcg run` strategy option without its dashes
// (STRATEGY_OPTION_SPECS), e.g. `aie:aie-stores=off`. A spec becomes the
// `mttcg run` arguments of its column and the StrategyOptions its guarantees
// are read under, parsed by the same code `mttcg run` uses, so that the
// prediction and the run see the same options.

import { findStrategy, registeredStrategies, strategyNames } from '../machine/strategy-registry.js';
import type { Guarantees } from '../emulator/atomics/guarantees.js';
import type { AtomicStrategy, StrategyOptions } from '../emulator/atomics/strategy.js';
import { parseOptions, UsageError } from '../cli/option-parser.js';
import { parseStrategyOptions, STRATEGY_OPTION_SPECS } from '../cli/strategy-options.js';

/** Every registered strategy with its default options. */
export const DEFAULT_TORTURE_SPECS: readonly string[] = strategyNames();

/**
 * The variants the strategies declare (AtomicStrategy.tortureVariants), e.g.
 * a strategy with one of its modes switched off, so that the matrix shows
 * what each mode buys: NAME:KEY=VALUE specs, in registry order.
 */
export const TORTURE_VARIANT_SPECS: readonly string[] = registeredStrategies().flatMap((s) =>
  s.tortureVariants.map((v) => `${s.name}:${v}`));

export interface StrategySpec {
  /** Canonical text: `NAME` or `NAME:KEY=VALUE:...` in the order given. */
  readonly text: string;
  readonly strategy: AtomicStrategy;
  /** KEY -> VALUE as written (a bare boolean KEY is recorded as 'true'). */
  readonly options: Readonly<Record<string, string>>;
  /** Arguments for `mttcg run`: --strategy NAME and one --KEY [VALUE] per option. */
  readonly runArgs: readonly string[];
  /** What `mttcg run` passes to the strategy for these arguments. */
  readonly strategyOptions: StrategyOptions;
  /** The strategy's declared predictions under these options. */
  readonly guarantees: Guarantees;
}

function optionNames(): string {
  return STRATEGY_OPTION_SPECS.length ? STRATEGY_OPTION_SPECS.map((s) => s.name).join(', ') : '(none defined)';
}

/** Parses and validates one spec; bad input is a UsageError naming the spec. */
export function parseStrategySpec(text: string): StrategySpec {
  const parts = text.split(':');
  const name = parts[0]!.trim();
  if (!name) throw new UsageError(`strategy spec '${text}': no strategy name (form NAME or NAME:KEY=VALUE[:KEY=VALUE...])`);
  if (!strategyNames().includes(name)) {
    throw new UsageError(`strategy spec '${text}': unknown strategy '${name}'; choose one of: ${strategyNames().join(', ')}`);
  }
  const strategy = findStrategy(name);
  const options: Record<string, string> = {};
  const flags: string[] = [];
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    const key = (eq >= 0 ? part.slice(0, eq) : part).trim();
    const value = eq >= 0 ? part.slice(eq + 1).trim() : null;
    if (!key) throw new UsageError(`strategy spec '${text}': empty option in '${part}'`);
    const spec = STRATEGY_OPTION_SPECS.find((s) => s.name === key);
    if (!spec) throw new UsageError(`strategy spec '${text}': unknown option '${key}'; strategy options: ${optionNames()}`);
    if (key in options) throw new UsageError(`strategy spec '${text}': option '${key}' given twice`);
    if (spec.kind === 'boolean') {
      if (value !== null && value !== 'true' && value !== 'false') {
        throw new UsageError(`strategy spec '${text}': option '${key}' is a flag; write '${key}', '${key}=true' or '${key}=false'`);
      }
      options[key] = value ?? 'true';
      if (options[key] === 'true') flags.push(`--${key}`);
    } else {
      if (value === null || value === '') throw new UsageError(`strategy spec '${text}': option '${key}' needs a value (${key}=VALUE)`);
      options[key] = value;
      flags.push(`--${key}`, value);
    }
  }
  let strategyOptions: StrategyOptions;
  let guarantees: Guarantees;
  try {
    strategyOptions = parseStrategyOptions(parseOptions(flags, STRATEGY_OPTION_SPECS, false), name);
    guarantees = strategy.guarantees(strategyOptions);
  } catch (e) {
    throw new UsageError(`strategy spec '${text}': ${(e as Error).message}`);
  }
  const canonical = [name, ...Object.entries(options).map(([k, v]) => `${k}=${v}`)].join(':');
  return { text: canonical, strategy, options, runArgs: ['--strategy', name, ...flags], strategyOptions, guarantees };
}

/** The specs `mttcg torture` runs when no --strategy is given. */
export function defaultSpecTexts(): string[] {
  return [...DEFAULT_TORTURE_SPECS, ...TORTURE_VARIANT_SPECS];
}
