#!/bin/bash
# scale16: scale16-s16-sections2.c (2 threads, 10 sections of 50000 units each, one process), mttcg and qemu-arm
# alternated; each thread's CPU per section (ms)
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
cd /work/wt/scale16
for i in $(seq 1 ${N:-6}); do
  echo "== $i mttcg"; timeout -s KILL 60 node dist/src/cli/main.js run /tmp/s16g/sections2 2 10 50000
  echo "== $i qemu-arm"; timeout -s KILL 60 qemu-arm /tmp/s16g/sections2 2 10 50000
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
