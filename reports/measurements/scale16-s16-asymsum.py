import re,sys,statistics as st
# summary of an asymq file: per emulator, thread CPU max/min, the section's wall less its busiest thread's CPU, overlap
for fn in sys.argv[1:]:
    d={'mttcg':[], 'qemu':[]}
    lines=open(fn).read().splitlines()
    for l in lines:
        r=re.match(r'\d+ (mttcg|qemu)\s+ns=(\d+)\s+cpu=([\d:]+)\s+wall=([\d:]+)\s+concurrent=(\d+)',l)
        if not r: continue
        ns=int(r.group(2))/1e6; c=[int(x)/1e6 for x in r.group(3).split(':')]
        d[r.group(1)].append((max(c)/min(c), ns-max(c), int(r.group(5))/512))
    print(fn, lines[0], '|', lines[-1])
    for k,v in d.items():
        f=lambda i,p=2: f"{st.median([x[i] for x in v]):.{p}f} ({min(x[i] for x in v):.{p}f}..{max(x[i] for x in v):.{p}f})"
        print(f'  {k:6} n={len(v)} thread CPU max/min {f(0)}; wall less busiest thread CPU {f(1,1)} ms; overlap {f(2)}')
