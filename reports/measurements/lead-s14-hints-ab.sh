#!/bin/bash
# ab.sh N prog... : alternate MTTCG_SOLO_HINTS=off / on runs of `bin/mttcg run`, N each;
# prints: name mode exit-event-ms process-cpu-ms main-tcpu (from the cold trace's last mark)
cd /work/wt/lead
unset NODE_EXTRA_CA_CERTS
N=$1; shift
RT=${RT:-}
BB=$HOME/.cache/mttcg-lab/busybox-static-armel/bin/busybox
for p in "$@"; do
  if [ $p = busybox ]; then cmd="$BB true"; else cmd="torture-tests/guest/$p.elf"; fi
  MTTCG_SOLO_HINTS=/tmp/lead-ab/hints bin/mttcg run $cmd >/dev/null 2>&1  # writes the hint (and the code cache)
  for i in $(seq $N); do
    for mode in off on; do
      if [ $mode = off ]; then e=off; else e=/tmp/lead-ab/hints; fi
      l=$(MTTCG_COLD_TRACE=1 MTTCG_SOLO_HINTS=$e $RT bin/mttcg run $cmd 2>&1 >/dev/null | grep "process exit event")
      echo "$p $mode $(echo "$l" | sed -E 's/^mttcg-cold: ([0-9.]+) .* cpu=([0-9.]+) tcpu=([0-9.]+).*/\1 \2 \3/')"
    done
  done
done
