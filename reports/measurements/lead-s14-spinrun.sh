#!/bin/bash
# spinrun.sh STRATEGY N: N single 2-vCPU spinlock runs under SCHED_FIFO; per run: window rate, fails per op, split
cd /work/wt/measure
for i in $(seq $2); do timeout -s KILL 30 chrt -f 10 bin/mttcg run --strategy $1 $EXTRA bench/guest/spinlock.elf 2 1000000 ldrex 2>/dev/null | grep BENCH | python3 -c "
import sys
l=sys.stdin.read().split()
d=dict(x.split('=',1) for x in l[1:] if '=' in x)
ops=int(d['ops']); ns=int(d['ns']); w=int(d['window']); wops=int(d['wops'])
print(f\"$1 win {wops/w*1e3:.2f} sec {ops/ns*1e3:.2f} failsPerOp {int(d.get('fails',0))/ops:.4f} wsplit {d['wsplit']}\")
"; done
