#!/bin/sh
cd /work/wt/scale16
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
timeout -s KILL 300 node dist/bench/speed/steady-counters.js --units 100000 --repeat ${R:-12} $X
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
