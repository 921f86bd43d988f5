#!/bin/bash
# scale16: 1-vCPU parallel-compute pinned to core 0 or core 1, mttcg and qemu-arm alternated; thread CPU of the section
cd ${WT:-/work/wt/scale16}
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
for i in $(seq 1 ${N:-6}); do
  for c in 0 1; do
    m=$(timeout -s KILL 60 taskset -c $c node dist/src/cli/main.js run bench/guest/parallel-compute.elf 1 100000 | grep -o ' cpu=[0-9]*')
    q=$(timeout -s KILL 60 taskset -c $c qemu-arm bench/guest/parallel-compute.elf 1 100000 | grep -o ' cpu=[0-9]*')
    echo "$i core$c mttcg$m qemu$q"
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
