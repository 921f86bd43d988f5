#!/bin/bash
# scale16: parallel-compute 1 and 2 vCPUs under SCHED_FIFO (chrt -f 10, each run killed after 60 s), with and
# without --stats-json (scaling-parallel's runs took it), alternated by round; per run ns, per-thread wall and CPU
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
cd /work/wt/scale16
run() { l=$(timeout -s KILL 60 chrt -f 10 node dist/src/cli/main.js run $3 bench/guest/parallel-compute.elf $2 100000 | grep BENCH)
  echo "$i $1 T=$2 ns=$(echo "$l" | grep -o ' ns=[0-9]*' | cut -d= -f2) wall=$(echo "$l" | grep -o ' wall=[0-9:]*' | cut -d= -f2) cpu=$(echo "$l" | grep -o ' cpu=[0-9:]*' | cut -d= -f2) $(echo "$l" | grep -o 'concurrent=[0-9]*')"; }
for i in $(seq 1 ${N:-10}); do
  if [ $((i % 2)) = 1 ]; then o="S P"; else o="P S"; fi
  for x in $o; do
    if [ $x = S ]; then opt="--stats-json /tmp/s16-stats-ab.json"; else opt=""; fi
    run $x 1 "$opt"; run $x 2 "$opt"
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
