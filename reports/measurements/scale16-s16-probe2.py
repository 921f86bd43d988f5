import json,sys
start=int(sys.argv[2]); recs=[json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"kind":"section-probe"')]
by={}
for r in recs: by.setdefault(r['tid'],[]).append(r)
for tid,rs in sorted(by.items()):
    rs.sort(key=lambda r:r['read'])
    timed=[r for r in rs if r['monoNs']>=start-2e6]
    warm=[r for r in rs if r['monoNs']<start-2e6]
    if len(timed)<2 or len(warm)<2: print(' tid',tid,'reads',len(rs)); continue
    a,b=timed[0],timed[-1]
    g=lambda k:(b['guest'].get(k,0) or 0)-(a['guest'].get(k,0) or 0)
    wg=lambda k:(warm[-1]['guest'].get(k,0) or 0)-(warm[0]['guest'].get(k,0) or 0)
    print(f" guest thread {tid} (slot {a['slot']}): warm-up {(warm[0]['monoNs']-start)/1e6:.1f}..{(warm[-1]['monoNs']-start)/1e6:.1f} ms from the timed start, in it {wg('tbsTranslated')} TBs, {wg('regionsCompiled')} regions, {wg('regionsRegrown')} regrown; timed section probes {(a['monoNs']-start)/1e6:.2f}..{(b['monoNs']-start)/1e6:.1f} ms: {g('tbsTranslated')} TBs translated, {g('regionsCompiled')} regions compiled, {g('regionsRegrown')} regrown, {g('regionPollExits')} poll exits, {b['gc']['count']-a['gc']['count']} GCs ({(b['gc']['costUs']-a['gc']['costUs'])/1000:.2f} ms)")
