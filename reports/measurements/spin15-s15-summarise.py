#!/usr/bin/env python3
# spin15-s15-summarise.py FILE...: per spinlock-strategies output, the load, each peer's window rate median (min..max),
# the Spearman rank correlation of its per-run window rate with its failed try-locks per acquisition (from the
# round lines), and the verdict and matched hand-over lines.
import re, sys, statistics
def ranks(xs):
    o = sorted(range(len(xs)), key=lambda i: xs[i]); r = [0]*len(xs); i = 0
    while i < len(o):
        j = i
        while j+1 < len(o) and xs[o[j+1]] == xs[o[i]]: j += 1
        for k in range(i, j+1): r[o[k]] = (i+j)/2+1
        i = j+1
    return r
def spearman(x, y):
    rx, ry = ranks(x), ranks(y); m = (len(x)+1)/2
    sxy = sum((a-m)*(b-m) for a, b in zip(rx, ry)); sxx = sum((a-m)**2 for a in rx); syy = sum((b-m)**2 for b in ry)
    return float('nan') if sxx == 0 or syy == 0 else sxy/(sxx*syy)**0.5
for f in sys.argv[1:]:
    text = open(f).read()
    print(f"== {f}")
    for l in text.splitlines():
        if l.startswith('loadavg'): print('  ' + l)
    runs = {}
    for l in text.splitlines():
        if not l.startswith('round '): continue
        for name, rate, fails in re.findall(r'([\w:=.-]+) ([\d.]+) \(([\d.]+)\)', l.split(': ', 1)[1]):
            runs.setdefault(name, []).append((float(rate), float(fails)))
    for name, rs in runs.items():
        rates = [r for r, _ in rs]; fails = [x for _, x in rs]
        print(f"  {name:24} window {statistics.median(rates):.2f} ({min(rates):.2f}..{max(rates):.2f}, n={len(rs)}) M ops/s; fails/acq {min(fails):.3f}..{max(fails):.3f}; Spearman(rate, fails) {spearman(rates, fails):+.2f}")
    for l in text.splitlines():
        if l.startswith('target ') or re.match(r'^  \S+ +at [\d.]+ \(common', l) or re.match(r'^  \S+ +per round', l): print('  ' + l.strip())
    # Does the pairing help? Per round, the correlation of each strategy's rate with cmpxchg's in the same round, and
    # the spread (sd of log) of the per-round ratios against that of all cross-round ratios (unpaired).
    import math
    rounds = []
    for l in text.splitlines():
        if l.startswith('round '):
            rounds.append({n: float(r) for n, r, _ in re.findall(r'([\w:=.-]+) ([\d.]+) \(([\d.]+)\)', l.split(': ', 1)[1])})
    for name in runs:
        if name == 'cmpxchg': continue
        pr = [(r[name], r['cmpxchg']) for r in rounds if name in r and 'cmpxchg' in r]
        if len(pr) < 3: continue
        paired = [math.log(a/b) for a, b in pr]
        cross = [math.log(a/b) for a, _ in pr for _, b in pr]
        rho = spearman([a for a, _ in pr], [b for _, b in pr])
        print(f"  pairing {name:24} Spearman(rate, cmpxchg's in the round) {rho:+.2f}; sd of log ratio paired {statistics.pstdev(paired):.3f}, unpaired {statistics.pstdev(cross):.3f}")
