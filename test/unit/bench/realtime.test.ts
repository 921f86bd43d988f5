// bench/lib/realtime.ts: `--realtime` puts a bench's emulator processes under
// SCHED_FIFO by prefixing their command with chrt, and only then (the
// default keeps the host's normal scheduling). Whether this host lets a
// process use the class is not asserted (a container may not grant it).

import t from 'tap';
import { REALTIME_ENV, realtimeCommand, realtimeRequested, schedulingLine } from '../../../bench/lib/realtime.js';

t.test('without the flag: commands unchanged, normal scheduling', async (t) => {
  delete process.env[REALTIME_ENV];
  t.equal(realtimeRequested(['--ops', '5']), false);
  t.same(realtimeCommand('qemu-arm', ['a.elf', '2']), ['qemu-arm', ['a.elf', '2']]);
  t.match(schedulingLine(), /normal/);
});

t.test('--realtime: chrt -f in front of the command, for child benches too', async (t) => {
  delete process.env[REALTIME_ENV];
  t.equal(realtimeRequested(['--ops', '5', '--realtime']), true);
  t.equal(process.env[REALTIME_ENV], '1', 'the variable passes it on to benches this one starts');
  t.same(realtimeCommand('node', ['cli.js', 'run']), ['chrt', ['-f', '10', 'node', 'cli.js', 'run']]);
  t.match(schedulingLine(), /SCHED_FIFO/);
  delete process.env[REALTIME_ENV];
});
