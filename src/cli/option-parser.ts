// A small option parser for the mttcg subcommands: --name value, --name=value
// and boolean flags; stops at the first positional for commands that pass the
// rest through (the guest's own argv).

export interface OptionSpec {
  readonly name: string;
  /** list: comma-separated values, repeatable; repeat: one value per occurrence, repeatable (values may hold commas). */
  readonly kind: 'string' | 'boolean' | 'list' | 'repeat';
  readonly help: string;
  /** A one-letter form (`-L DIR` or `-LDIR` for a value), as qemu-arm spells some options. */
  readonly short?: string;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Parsed {
  readonly values: Map<string, string | boolean | string[]>;
  readonly positionals: string[];
}

export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[], stopAtPositional: boolean): Parsed {
  const values = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  const store = (spec: OptionSpec, v: string): void => {
    if (spec.kind === 'list' || spec.kind === 'repeat') {
      const prev = (values.get(spec.name) as string[] | undefined) ?? [];
      values.set(spec.name, [...prev, ...(spec.kind === 'list' ? v.split(',').filter((x) => x !== '') : [v])]);
    } else values.set(spec.name, v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const short = a.length >= 2 && a[0] === '-' && a[1] !== '-' ? specs.find((s) => s.short === a[1]) : undefined;
    if (short) {
      if (short.kind === 'boolean') {
        if (a.length > 2) throw new UsageError(`-${a[1]} takes no value`);
        values.set(short.name, true);
        continue;
      }
      let v: string;
      if (a.length > 2) v = a.slice(2);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`-${a[1]} needs a value`);
        v = argv[++i]!;
      }
      store(short, v);
      continue;
    }
    if (!a.startsWith('--') || a === '-') {
      if (stopAtPositional) {
        positionals.push(...argv.slice(i));
        break;
      }
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      values.set(name, true);
      continue;
    }
    let v: string;
    if (eq >= 0) v = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      v = argv[++i]!;
    }
    store(spec, v);
  }
  return { values, positionals };
}

/** A whole-number option from min to max (a usage error otherwise, never a fraction rounded away). */
export function integerOption(p: Parsed, name: string, fallback: number, min: number, max: number): number {
  const n = numberOption(p, name, fallback, min, max);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${String(p.values.get(name))}')`);
  return n;
}

export function numberOption(p: Parsed, name: string, fallback: number, min: number, max: number): number {
  const v = p.values.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got '${String(v)}')`);
  }
  return n;
}

/** Widest option column; a longer option gets its help on the next line. */
const HELP_COLUMN_MAX = 30;
const HELP_WIDTH = 80;

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/**
 * The options as an aligned two-column list: the help text starts two spaces
 * after the widest option (at most HELP_COLUMN_MAX), wraps at HELP_WIDTH with
 * a hanging indent, and an option too long for the column gets its help on
 * the next line, so option and help never run together.
 */
export function formatHelp(specs: readonly OptionSpec[]): string {
  const label = (s: OptionSpec): string => `  ${s.short ? `-${s.short}, ` : ''}--${s.name}${s.kind === 'boolean' ? '' : ' VALUE'}`;
  const column = Math.min(HELP_COLUMN_MAX, Math.max(0, ...specs.map((s) => label(s).length)) + 2);
  const indent = ' '.repeat(column);
  return specs
    .map((s) => {
      const help = wrapWords(s.help, Math.max(20, HELP_WIDTH - column));
      const head = label(s);
      const first = head.length + 2 <= column ? `${head.padEnd(column)}${help[0] ?? ''}` : `${head}\n${indent}${help[0] ?? ''}`;
      return [first, ...help.slice(1).map((l) => indent + l)].join('\n');
    })
    .join('\n');
}
