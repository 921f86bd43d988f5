#!/bin/bash
# locked.sh OUT CMD...: inside the bench lock, loadavg before/after, the command's output, its wall time
out=$1; shift
flock /work/coord/bench.lock bash -c '
echo "loadavg before: $(cat /proc/loadavg)  $(date -u +%H:%M:%S)"
t0=$(date +%s.%N)
"$@"
rc=$?
echo "loadavg after: $(cat /proc/loadavg)  $(date -u +%H:%M:%S); rc $rc; wall $(echo "$(date +%s.%N) - $t0" | bc) s"
' _ "$@" > "$out" 2>&1
