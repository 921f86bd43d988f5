import re,sys,statistics as st
# lines: "<i> <label> T=<n> ns=<ns> wall=<a:b> cpu=<a:b> ..." -> section wall less its busiest thread's CPU (ms)
d={}
for l in open(sys.argv[1]):
    r=re.match(r'(\d+) (\S+) T=(\d) ns=(\d+) wall=([\d:]+) cpu=([\d:]+)',l)
    if not r: continue
    ns=int(r.group(4)); cpu=[int(x) for x in r.group(6).split(':')]
    d.setdefault((r.group(2),r.group(3)),[]).append((ns-max(cpu))/1e6)
for k,v in sorted(d.items()):
    print(k, f'section wall less its busiest thread CPU: median {st.median(v):.2f} ms (min {min(v):.2f}, max {max(v):.2f}, n={len(v)})', ' '.join(f'{x:.1f}' for x in v))
