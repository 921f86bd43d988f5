#!/bin/sh
# old (b25c562) vs new (window) guests, interleaved; prints workload, build, ns
cd /work/wt/spin14
date -u; echo "loadavg before: $(cat /proc/loadavg)"
for i in 1 2 3 4 5; do
  for b in old new; do
    if [ $b = old ]; then E=/tmp/spin14-old/spinlock.elf; N=/tmp/spin14-old/spinlock.native; P=/tmp/spin14-old/parallel-compute.elf; A=/tmp/spin14-old/atomic-add.elf;
    else E=bench/guest/spinlock.elf; N=bench/guest/native/spinlock; P=bench/guest/parallel-compute.elf; A=bench/guest/atomic-add.elf; fi
    echo "$b qemu spinlock $(timeout -s KILL 60 chrt -f 10 qemu-arm $E 2 1000000 | grep -o ' ns=[0-9]*')"
    echo "$b qemu parallel-compute $(timeout -s KILL 60 chrt -f 10 qemu-arm $P 2 20000 | grep -o ' ns=[0-9]*')"
    echo "$b native spinlock $(timeout -s KILL 60 chrt -f 10 $N 2 1000000 | grep -o ' ns=[0-9]*')"
    echo "$b mttcg-cmpxchg atomic-add $(timeout -s KILL 90 chrt -f 10 node dist/src/cli/main.js run $A 2 2000000 1 | grep -o ' ns=[0-9]*')"
  done
done
echo "loadavg after: $(cat /proc/loadavg)"; date -u
