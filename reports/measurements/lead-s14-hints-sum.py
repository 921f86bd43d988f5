import sys,statistics as st
d={}
for l in open(sys.argv[1]):
    f=l.split()
    if len(f)==5 and f[1] in('on','off'):
        d.setdefault((f[0],f[1]),[]).append((float(f[2]),float(f[3]),float(f[4])))
progs=[]
for k in d:
    if k[0] not in progs: progs.append(k[0])
for p in progs:
    out=[p.ljust(17)]
    for m in('off','on'):
        xs=d.get((p,m),[])
        if not xs: continue
        w=[x[0] for x in xs]; c=[x[1] for x in xs]; t=[x[2] for x in xs]
        out.append(f"{m}: exit {st.median(w):.0f} ({min(w):.0f}..{max(w):.0f}) cpu {st.median(c):.0f} ({min(c):.0f}..{max(c):.0f}) main {st.median(t):.0f}")
    print(' | '.join(out)+f" n={len(xs)}")
