#!/bin/sh
# scale16: timed-window-cpu at 1 and 2 vCPUs, both peers, load inside the lock
cd /work/wt/scale16
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
for n in 1 2; do
  for p in mttcg qemu-arm; do
    timeout -s KILL 120 node dist/bench/speed/timed-window-cpu.js --threads $n --repeat ${R:-5} --peer $p
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
