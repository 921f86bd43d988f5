import re,sys,statistics as st
# per process: each thread's median CPU per section over sections 3-10 (the first two warm the code), the ratio of
# the two threads' medians (a thread slow throughout), and the median of the per-section ratios of the two threads
cur=None; procs=[]
for l in open(sys.argv[1]):
    m=re.match(r'== (\d+) (\S+)',l)
    if m: cur={'peer':m.group(2),'t':[]}; procs.append(cur); continue
    m=re.match(r'thread (\d+): (.*)',l)
    if m and cur is not None: cur['t'].append([float(x) for x in m.group(2).split()])
for peer in ('mttcg','qemu-arm'):
    rs=[]
    for p in procs:
        if p['peer']!=peer or len(p['t'])<2: continue
        a,b=p['t'][0][2:],p['t'][1][2:]
        ma,mb=st.median(a),st.median(b)
        within=max(max(a)/min(a),max(b)/min(b))
        per=[max(x,y)/min(x,y) for x,y in zip(a,b)]
        rs.append((max(ma,mb)/min(ma,mb),st.median(per),within))
        print(f"{peer:8} thread medians {ma:6.1f} {mb:6.1f} ms: ratio {max(ma,mb)/min(ma,mb):.3f}; per-section ratio median {st.median(per):.3f}; within a thread max/min {within:.2f}")
    print(f"{peer}: ratio of the threads' medians {st.median([r[0] for r in rs]):.3f} ({min(r[0] for r in rs):.3f}..{max(r[0] for r in rs):.3f}), n={len(rs)}")
