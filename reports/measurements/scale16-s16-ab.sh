#!/bin/bash
# scale16: A/B of two builds (A = main 65efa0d in /work/wt/scale16-base, B = this worktree), parallel-compute
# 1 and 2 vCPUs, 100000 units, alternated by round (order flipped every round). Per run: ns, per-thread wall and
# thread CPU (bench.h), and the section's excess over its longest thread's wall (ns - max wall: the start skew).
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
A=/work/wt/scale16-base; B=/work/wt/scale16
run() { # dir label T
  l=$(cd $1 && timeout -s KILL 60 node dist/src/cli/main.js run bench/guest/parallel-compute.elf $3 100000 | grep BENCH)
  ns=$(echo "$l" | grep -o ' ns=[0-9]*' | cut -d= -f2); w=$(echo "$l" | grep -o ' wall=[0-9:]*' | cut -d= -f2); c=$(echo "$l" | grep -o ' cpu=[0-9:]*' | cut -d= -f2)
  echo "$i $2 T=$3 ns=$ns wall=$w cpu=$c $(echo "$l" | grep -o 'concurrent=[0-9]*')" | awk '{split($5,a,"="); split(a[2],w,":"); m=w[1]; if (w[2]>m) m=w[2]; split($4,n,"="); printf "%s excess_ms=%.2f\n", $0, (n[2]-m)/1e6}'
}
for i in $(seq 1 ${N:-8}); do
  if [ $((i % 2)) = 1 ]; then o="A B"; else o="B A"; fi
  for x in $o; do
    d=$A; [ $x = B ] && d=$B
    run $d $x 1; run $d $x 2
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
