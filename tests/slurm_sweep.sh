#!/bin/sh
# A sweep run for real on Slurm: a one-machine cluster from Debian's packages (munged, slurmctld,
# slurmd), configured in a temporary directory and talking inside a network namespace of its own,
# runs `overlaylab sweep --slurm`'s array job (3 shards) and its dependent merge job; the merged CSV
# must be byte-identical to the unsharded sweep. Everything is stopped and removed afterwards.
# Usage: slurm_sweep.sh OVERLAYLAB SWEEP_FILE
ol=$1
sweep=$2
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root (network namespace, Slurm daemons as root)"; exit 77; fi
for p in munged mungekey slurmctld slurmd sbatch squeue sinfo nsenter; do
  command -v "$p" >/dev/null || { echo "FAIL: $p is missing: run scripts/setup.sh (installs munge, slurmctld, slurmd, slurm-client)"; exit 1; }
done
work=$(mktemp -d /tmp/olslurm.XXXXXX)
ns=olsl$$
in_ns() { nsenter --net=/run/netns/$ns "$@"; }  # not `ip netns exec`: it remounts /sys, hiding slurmd's cgroups
cleanup() {
  for d in slurmd slurmctld munged; do
    [ -f "$work/$d.pid" ] && kill "$(cat "$work/$d.pid")" 2>/dev/null
  done
  sleep 1
  for d in slurmd slurmctld munged; do
    [ -f "$work/$d.pid" ] && kill -9 "$(cat "$work/$d.pid")" 2>/dev/null
  done
  ip netns del $ns 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"
mkdir -p "$work/state" "$work/spool"

# The cluster's network: a namespace with a veth pair (Slurm resolves addresses with AI_ADDRCONFIG,
# which ignores loopback, so the node needs a non-loopback address), 192.0.2.1 (TEST-NET-1).
ip netns add $ns || { echo "FAIL: cannot create network namespace $ns"; exit 1; }
ip -n $ns link set lo up
ip -n $ns link add ol0 type veth peer name ol1
ip -n $ns addr add 192.0.2.1/24 dev ol0
ip -n $ns link set ol0 up
ip -n $ns link set ol1 up

mungekey -c -k "$work/munge.key" -b 1024 || exit 1
chmod 600 "$work/munge.key"
in_ns munged --force --socket="$work/munge.sock" --key-file="$work/munge.key" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" || { echo "FAIL: munged did not start"; cat "$work/munged.log"; exit 1; }

cat >"$work/slurm.conf" <<CONF
ClusterName=overlaylab
SlurmctldHost=$(hostname -s)(192.0.2.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=olnode NodeAddr=192.0.2.1 CPUs=2 State=UNKNOWN
PartitionName=lab Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
in_ns slurmctld -f "$SLURM_CONF" -i || { echo "FAIL: slurmctld did not start"; cat "$work/slurmctld.log"; exit 1; }
in_ns slurmd -f "$SLURM_CONF" -N olnode || { echo "FAIL: slurmd did not start"; cat "$work/slurmd.log"; exit 1; }
i=0
until in_ns sinfo -h -o %t 2>/dev/null | grep -q idle; do
  i=$((i + 1))
  if [ $i -gt 60 ]; then echo "FAIL: the Slurm node never became idle"; tail -20 "$work/slurmctld.log" "$work/slurmd.log"; exit 1; fi
  sleep 1
done
echo "slurm: node olnode idle after ${i} s"

"$ol" sweep "$sweep" --slurm "$work/job" --shards 3 --jobs 1 || exit 1
in_ns sh "$work/job/submit.sh" || exit 1
i=0
while [ -n "$(in_ns squeue -h 2>/dev/null)" ]; do
  i=$((i + 1))
  if [ $i -gt 600 ]; then echo "FAIL: jobs still queued after 600 s"; in_ns squeue; exit 1; fi
  sleep 1
done
echo "slurm: array and merge jobs finished after ${i} s"
for f in "$work"/job/logs/*.out; do echo "--- $(basename "$f")"; cat "$f"; done
"$ol" sweep "$sweep" --jobs 2 --out "$work/whole.csv" >/dev/null || exit 1
if [ ! -f "$work/job/sweep.csv" ]; then echo "FAIL: the merge job wrote no sweep.csv"; exit 1; fi
if cmp "$work/whole.csv" "$work/job/sweep.csv"; then
  echo "merged CSV from 3 Slurm tasks: byte-identical to the unsharded sweep ($(wc -l <"$work/whole.csv") lines)"
else
  echo "FAIL: the merged CSV differs from the unsharded sweep"
  exit 1
fi
