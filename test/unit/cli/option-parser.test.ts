// The help formatter: option and help text never run together, long help
// wraps under its own column; and one-letter option forms (-L DIR).

import t from 'tap';
import { formatHelp, parseOptions, type OptionSpec } from '../../../src/cli/option-parser.js';

t.test('a long option name gets its help on the next line', async (t) => {
  const specs: OptionSpec[] = [
    { name: 'tlbexcl-unmark-after', kind: 'string', help: 'tlbexcl: idle slow-path stores before a page loses its mark (default 64)' },
    { name: 'quick', kind: 'boolean', help: 'short' },
  ];
  const text = formatHelp(specs);
  t.notMatch(text, /VALUEtlbexcl/, 'the help does not touch the option');
  const lines = text.split('\n');
  t.equal(lines[0], '  --tlbexcl-unmark-after VALUE');
  t.match(lines[1], /^ {20,}tlbexcl: idle/);
  t.match(text, /\n {2}--quick {2,}short$/);
});

t.test('help text is aligned, at least two spaces after the widest option, and wrapped', async (t) => {
  const specs: OptionSpec[] = [
    { name: 'peers', kind: 'list', help: 'which peers to run, comma-separated, from mttcg, qemu-arm, native (default: all that can run here)' },
    { name: 'out', kind: 'string', help: 'results file' },
  ];
  const lines = formatHelp(specs).split('\n');
  const column = lines[0]!.indexOf('which');
  t.ok(column >= '  --peers VALUE'.length + 2, 'two spaces at least');
  t.equal(lines.at(-1)!.indexOf('results'), column, 'every help starts in the same column');
  for (const l of lines) t.ok(l.length <= 80, `at most 80 columns: ${l}`);
  t.ok(lines.length > specs.length, 'the long help wrapped');
  t.equal(lines[1]!.search(/\S/), column, 'continuation lines are indented to the column');
});

t.test('a one-letter form takes its value after it or attached, as qemu-arm -L', async (t) => {
  const specs: OptionSpec[] = [
    { name: 'sysroot', short: 'L', kind: 'string', help: 'sysroot' },
    { name: 'stats', kind: 'boolean', help: 'stats' },
  ];
  t.equal(parseOptions(['-L', '/sr', 'prog', '-L', 'x'], specs, true).values.get('sysroot'), '/sr', 'separate value; the guest argv keeps its own -L');
  t.same(parseOptions(['-L', '/sr', 'prog', '-L', 'x'], specs, true).positionals, ['prog', '-L', 'x']);
  t.equal(parseOptions(['-L/sr', 'prog'], specs, true).values.get('sysroot'), '/sr', 'attached value');
  t.equal(parseOptions(['--sysroot=/sr', 'prog'], specs, true).values.get('sysroot'), '/sr', 'the long form');
  t.throws(() => parseOptions(['-L'], specs, true), /-L needs a value/);
  t.same(parseOptions(['-x', 'prog'], specs, true).positionals, ['-x', 'prog'], 'an unknown one-letter option is a positional');
  t.match(formatHelp(specs), /^ {2}-L, --sysroot VALUE/m, 'help shows both forms');
});
