// A small option parser for the mttcg subcommands: --name value, --name=value
// and boolean flags; stops at the first positional for commands that pass the
// rest through (the guest's own argv).

export interface OptionSpec {
  readonly name: string;
  readonly kind: 'string' | 'boolean' | 'list';
  readonly help: string;
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
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
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
    if (spec.kind === 'list') {
      const prev = (values.get(name) as string[] | undefined) ?? [];
      values.set(name, [...prev, ...v.split(',').filter((x) => x !== '')]);
    } else values.set(name, v);
  }
  return { values, positionals };
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

export function formatHelp(specs: readonly OptionSpec[]): string {
  return specs.map((s) => `  --${s.name}${s.kind === 'boolean' ? '' : ' VALUE'}`.padEnd(28) + s.help).join('\n');
}
