#!/bin/bash
# scale16: 2-vCPU parallel-compute, mttcg and qemu-arm alternated: per guest thread CPU (cpu=) and wall (wall=)
cd ${WT:-/work/wt/scale16}
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
f() { echo "$(echo "$1" | grep -o ' ns=[0-9]*') $(echo "$1" | grep -o ' cpu=[0-9:]*') $(echo "$1" | grep -o ' wall=[0-9:]*') $(echo "$1" | grep -o 'concurrent=[0-9]*')"; }
for i in $(seq 1 ${N:-10}); do
  m=$(timeout -s KILL 60 node dist/src/cli/main.js run bench/guest/parallel-compute.elf 2 100000 | grep BENCH)
  q=$(timeout -s KILL 60 qemu-arm bench/guest/parallel-compute.elf 2 100000 | grep BENCH)
  echo "$i mttcg $(f "$m")"
  echo "$i qemu  $(f "$q")"
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
