#!/bin/bash
# scale16: 1-vCPU parallel-compute thread CPU (bench.h cpu=) under env variants, alternated
cd /work/wt/scale16
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
N=${N:-8}; T=${T:-1}
for i in $(seq 1 $N); do
  for v in "default" "MTTCG_SOLO_HINTS=off" "MTTCG_SOLO=0" "MTTCG_CONCURRENT_RECOMPILATION=1"; do
    if [ "$v" = default ]; then e=""; else e="$v"; fi
    l=$(env $e timeout -s KILL 60 node dist/src/cli/main.js run bench/guest/parallel-compute.elf $T 100000 | grep BENCH)
    echo "$i $v $(echo "$l" | grep -o 'ns=[0-9]*' | head -1) $(echo "$l" | grep -o 'cpu=[0-9:]*') $(echo "$l" | grep -o 'concurrent=[0-9]*')"
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
