// Debian's static armhf busybox (Thumb-2 code, VFPv3-D16, hard-float; fetched
// by `sh scripts/fetch-busybox.sh armhf`, never committed) under mttcg and
// qemu-arm. Each applet runs directly (not through `sh -c`: qemu-arm's shell
// would exec the host's own sort or gzip instead of busybox's) on the same
// input, and stdout must be byte-identical: sort, md5sum, sha256sum, gzip
// and gunzip, awk with floating-point arithmetic, and sh running a script of
// builtins. A pipeline through busybox sh runs under mttcg alone and must give
// what the host computes for the same data.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import t from 'tap';
import { busyboxPath, CLI, GUEST_ENV, qemuAvailable, QEMU_MISSING } from '../../harness/guest-runner.js';

const BUSYBOX = busyboxPath('armhf');
const INPUT = Buffer.from(Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join(''));

interface Run { stdout: Buffer; status: number | null; stderr: string }

function qemu(args: readonly string[], input: Buffer): Run {
  const r = spawnSync('env', ['-i', ...Object.entries(GUEST_ENV).map(([k, v]) => `${k}=${v}`), 'qemu-arm', BUSYBOX!, ...args], { input, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, status: r.status, stderr: String(r.stderr) };
}

function mttcg(args: readonly string[], input: Buffer): Run {
  const envArgs = Object.entries(GUEST_ENV).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const r = spawnSync(process.execPath, [CLI, 'run', '--clean-env', ...envArgs, '--allow-dir', dirname(BUSYBOX!), BUSYBOX!, ...args], {
    input, maxBuffer: 64 << 20, timeout: 300_000,
  });
  return { stdout: r.stdout, status: r.status, stderr: String(r.stderr) };
}

/** awk programs doing floating-point arithmetic (this busybox has no libm functions: no sqrt or exp). */
const AWK = [
  '{ s += $1 * 1.5 / 7; q += 1 / $1 } END { printf "%.10f %.12g %e\\n", s, q, s / q }',
  'BEGIN { x = 1; for (i = 0; i < 60; i++) x = x * 1.7 - 0.3; printf "%g %.17g %d\\n", x, 1 / 3, int(-7.9) }',
  'BEGIN { d = 1; for (i = 0; i < 1074; i++) d = d / 2; printf "%f %g %g %.17g\\n", 1e308 * 10, -1e308 * 10, d, 0.1 + 0.2; print 3.0 == 3, 0.1 + 0.2 == 0.3, "1e3" + 0, 7 % 2.5 }',
];

/** sh with builtins only, so that both emulators run the same code. */
const SH_SCRIPT = [
  'f() { echo "f($1) $(( $1 * $1 - 3 ))"; }',
  'i=0; while [ $i -lt 12 ]; do f $i; i=$((i + 1)); done',
  'for w in alpha beta gamma; do case $w in a*) echo "a-word $w";; *) echo "other ${#w}";; esac; done',
  'x=$(printf "%05d|%-6s|%x" 42 ok 255); echo "$x"; set -- one two three; echo "$# $2"; echo $((0x10 + 010 + -3))',
].join('\n');

t.test('armhf busybox applets give qemu-arm\'s bytes', { skip: !BUSYBOX ? 'busybox-static:armhf not fetched (sh scripts/fetch-busybox.sh armhf)' : qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  const cases: [string, readonly string[], Buffer][] = [
    ['sort -r', ['sort', '-r'], INPUT],
    ['sort -n -r', ['sort', '-n', '-r'], INPUT],
    ['md5sum', ['md5sum'], INPUT],
    ['sha256sum', ['sha256sum'], INPUT],
    ['gzip -9', ['gzip', '-9'], INPUT],
    ['sh (builtins)', ['sh', '-c', SH_SCRIPT], Buffer.alloc(0)],
    ...AWK.map((p, i): [string, readonly string[], Buffer] => [`awk, floating point ${i + 1}`, ['awk', p], INPUT]),
  ];
  for (const [name, args, input] of cases) {
    const q = qemu(args, input);
    const m = mttcg(args, input);
    t.equal(q.status, 0, `${name}: qemu-arm exits 0 ${q.stderr}`);
    t.equal(m.status, q.status, `${name}: exit status as qemu-arm's ${m.stderr}`);
    t.ok(m.stdout.equals(q.stdout), `${name}: stdout identical (${m.stdout.length} bytes)`);
  }
  const gz = qemu(['gzip', '-9'], INPUT).stdout;
  t.ok(mttcg(['gzip', '-d'], gz).stdout.equals(INPUT), 'gzip -d restores qemu-arm\'s compressed input');
});

t.test('a pipeline through armhf busybox sh', { skip: !BUSYBOX ? 'busybox-static:armhf not fetched' : false }, async (t) => {
  const m = mttcg(['sh', '-c', 'seq 1 2000 | sort -r | md5sum; seq 1 500 | gzip | gzip -d | sha256sum'], Buffer.alloc(0));
  const lines = Array.from({ length: 2000 }, (_, i) => String(i + 1)).sort().reverse();
  const sorted = createHash('md5').update(`${lines.join('\n')}\n`).digest('hex');
  const seq500 = createHash('sha256').update(Array.from({ length: 500 }, (_, i) => `${i + 1}\n`).join('')).digest('hex');
  t.equal(m.status, 0, `exit 0 ${m.stderr}`);
  t.equal(m.stdout.toString(), `${sorted}  -\n${seq500}  -\n`, 'seq | sort -r | md5sum and a gzip round trip give the host\'s digests');
});
