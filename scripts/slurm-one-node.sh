#!/bin/sh
# A one-node Slurm cluster on this machine, for trying a sweep's job array
# (scripts/sweep-slurm.sbatch) and for the acceptance test
# (test/acceptance/sweep-cluster.test.ts). Needs root and Debian's
# slurm-wlm and munge packages. Everything it writes lives in DIR (the
# configuration, state, spool, logs and pid files), except munged's socket
# and key, which are Debian's defaults (/run/munge, /etc/munge/munge.key);
# it stops only the daemons it started (by their pid files).
#
#   sh scripts/slurm-one-node.sh start DIR   # prints: export SLURM_CONF=DIR/slurm.conf
#   SLURM_CONF=DIR/slurm.conf sbatch --wait --array=1-3 ...
#   sh scripts/slurm-one-node.sh stop DIR
#
# ProctrackType=proctrack/linuxproc and TaskPlugin=task/none need no cgroups,
# and the daemons talk over 127.0.0.1 (no name lookup of the host), so it
# runs inside a container as well.
set -eu
action=${1:-}
dir=${2:-}
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf="$dir/slurm.conf"

stop_pidfile() {
  if [ -s "$1" ]; then
    pid=$(cat "$1")
    if kill "$pid" 2>/dev/null; then
      i=0
      while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$1"
  fi
}

case "$action" in
stop)
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munged.pid"
  exit 0
  ;;
start) ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || { echo "$0: the daemons need root (munged runs as user munge, slurmd as root)" >&2; exit 1; }
for b in munged slurmctld slurmd sinfo; do
  command -v "$b" >/dev/null || { echo "$0: $b is missing: apt-get install slurm-wlm munge" >&2; exit 1; }
done

node=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
cat >"$conf" <<EOF
ClusterName=mttcg-one-node
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=sweep Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

# munged: Debian's key and socket; started here unless one already answers
if ! munge -n </dev/null >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || { echo "$0: /etc/munge/munge.key is missing (the munge package creates it)" >&2; exit 1; }
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- munged
  i=0
  while ! munge -n </dev/null >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
  # ours to stop: a copy of its pid file (written by user munge in /run/munge)
  cp /run/munge/munged.pid "$dir/munged.pid"
fi
munge -n </dev/null | unmunge >/dev/null || { echo "$0: munged does not answer" >&2; exit 1; }

SLURM_CONF=$conf slurmctld -f "$conf"
SLURM_CONF=$conf slurmd -f "$conf"
i=0
until SLURM_CONF=$conf sinfo -h -N -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; do
  i=$((i + 1))
  if [ $i -gt 150 ]; then
    echo "$0: the node did not come up in 30 s; logs in $dir/log" >&2
    sh "$0" stop "$dir"
    exit 1
  fi
  sleep 0.2
done
echo "export SLURM_CONF=$conf"
