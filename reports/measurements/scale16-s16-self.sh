#!/bin/bash
# scale16: 1-vCPU parallel-compute pinned to core 0 while core 1 is idle, or runs a long parallel-compute under
# mttcg or under qemu-arm (pinned to core 1): how much each emulator's thread slows the other core's.
# The section's thread CPU (cpu=), mttcg and qemu-arm alternated.
cd ${WT:-/work/wt/scale16}
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
BP=""
busy() {
  BP=""
  case $1 in
    idle) ;;
    mttcg) taskset -c 1 timeout 40 node dist/src/cli/main.js run bench/guest/parallel-compute.elf 1 4000000 >/dev/null 2>&1 & BP=$!; sleep 1.5 ;;
    qemu) taskset -c 1 timeout 40 qemu-arm bench/guest/parallel-compute.elf 1 6000000 >/dev/null 2>&1 & BP=$!; sleep 0.5 ;;
  esac
}
stop() { if [ -n "$BP" ]; then kill $BP 2>/dev/null; wait $BP 2>/dev/null; fi; sleep 0.2; }
for i in $(seq 1 ${N:-6}); do
  for b in idle mttcg qemu; do
    busy $b
    m=$(timeout -s KILL 60 taskset -c 0 node dist/src/cli/main.js run bench/guest/parallel-compute.elf 1 100000 | grep -o ' cpu=[0-9]*')
    q=$(timeout -s KILL 60 taskset -c 0 qemu-arm bench/guest/parallel-compute.elf 1 100000 | grep -o ' cpu=[0-9]*')
    stop
    echo "$i core1=$b mttcg$m qemu$q"
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
