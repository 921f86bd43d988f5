#!/bin/bash
# scale16: 1-vCPU parallel-compute pinned to core 0, with core 1 idle or busy (native parallel-compute pinned to core 1,
# or a Node loop over 8 MiB), mttcg and qemu-arm alternated; the section's thread CPU (cpu=)
cd ${WT:-/work/wt/scale16}
echo "load before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
BP=""
busy() {
  BP=""
  case $1 in
    idle) ;;
    native) taskset -c 1 timeout 30 bench/guest/native/parallel-compute 1 100000000 >/dev/null 2>&1 & BP=$! ;;
    mem) taskset -c 1 timeout 30 node -e 'const a=new Int32Array(2<<20);let s=0;for(;;){for(let i=0;i<a.length;i+=16)s+=a[i]++;}' >/dev/null 2>&1 & BP=$! ;;
  esac
  sleep 0.3
}
stop() { if [ -n "$BP" ]; then kill $BP 2>/dev/null; wait $BP 2>/dev/null; fi; sleep 0.2; }
for i in $(seq 1 ${N:-4}); do
  for b in idle native mem; do
    busy $b
    m=$(timeout -s KILL 60 taskset -c 0 node dist/src/cli/main.js run bench/guest/parallel-compute.elf 1 100000 | grep -o ' cpu=[0-9]*')
    q=$(timeout -s KILL 60 taskset -c 0 qemu-arm bench/guest/parallel-compute.elf 1 100000 | grep -o ' cpu=[0-9]*')
    stop
    echo "$i core1=$b mttcg$m qemu$q"
  done
done
echo "load after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
