#!/bin/bash
# scale16: A/B (A = main 65efa0d, B = 15bc2a4 and later), parallel-compute 2 vCPUs under SCHED_FIFO (chrt -f 10,
# each run killed after 60 s), rounds alternating the order; per run ns, per-thread wall and CPU (bench.h)
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
A=/work/wt/scale16-base; B=/work/wt/scale16
run() { l=$(cd $1 && timeout -s KILL 60 chrt -f 10 node dist/src/cli/main.js run bench/guest/parallel-compute.elf $3 100000 | grep BENCH)
  echo "$i $2 T=$3 ns=$(echo "$l" | grep -o ' ns=[0-9]*' | cut -d= -f2) wall=$(echo "$l" | grep -o ' wall=[0-9:]*' | cut -d= -f2) cpu=$(echo "$l" | grep -o ' cpu=[0-9:]*' | cut -d= -f2) $(echo "$l" | grep -o 'concurrent=[0-9]*')"; }
for i in $(seq 1 ${N:-12}); do
  if [ $((i % 2)) = 1 ]; then o="A B"; else o="B A"; fi
  for x in $o; do d=$A; [ $x = B ] && d=$B; run $d $x 2; done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
