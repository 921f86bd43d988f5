#!/bin/sh
cd ${WT:-/work/wt/scale16}
echo "tree: $(pwd) $(git log --oneline -1 | cut -c1-60)"
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
timeout -s KILL 400 node dist/bench/speed/scaling-parallel.js --repeat ${R:-9} $X
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
