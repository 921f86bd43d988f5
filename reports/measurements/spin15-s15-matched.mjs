// spin15-s15-matched.mjs FILE (run from the repository root after npm run build)...: from a spinlock-strategies output's round lines (window M ops/s, fails per acquisition to 3
// decimals), each strategy's matched hand-over ratio to cmpxchg and its seeded bootstrap interval (bench/lib/hand-over.ts).
import { readFileSync } from 'node:fs';
const { matchedHandOver, matchedInterval } = await import(process.cwd() + '/dist/bench/lib/hand-over.js');
for (const f of process.argv.slice(2)) {
  const runs = new Map();
  for (const l of readFileSync(f, 'utf8').split('\n')) {
    if (!l.startsWith('round ')) continue;
    for (const m of l.split(': ').slice(1).join(': ').matchAll(/([\w:=.-]+) ([\d.]+) \(([\d.]+)\)/g)) {
      if (!runs.has(m[1])) runs.set(m[1], []);
      runs.get(m[1]).push({ fails: Number(m[3]), ns: 1e3 / Number(m[2]) });
    }
  }
  const base = runs.get('cmpxchg');
  const parts = [];
  for (const [name, rs] of runs) {
    if (name === 'cmpxchg') continue;
    const m = matchedHandOver(rs, base);
    const iv = matchedInterval(rs, base, `${name}/cmpxchg matched hand-over`);
    parts.push(`${name} ${m ? m.ratio.toFixed(3) : '-'}${iv ? ` [${iv.lo.toFixed(3)}..${iv.hi.toFixed(3)}]` : ''}`);
  }
  console.log(`${f.split('/').pop()}: ${parts.join(', ')}`);
}
