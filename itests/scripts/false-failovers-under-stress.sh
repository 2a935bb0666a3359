#!/usr/bin/env bash
# Measures false failovers of the embedded simulated cluster (4 agents, 20 VMs, one Karaf) while both
# cores are saturated: boots the built distribution, waits until every VM runs, saturates every core for
# DURATION seconds with stress-ng (Debian package stress-ng; shell busy loops if it is missing), then
# counts the host.failed / host.partitioned / vm.restarted events the node's event journal
# (data/vmha/events/events.jsonl) recorded during the stress, and the VMs the fencing watchdog powered off
# (karaf.log). No host is harmed, so every one of them is a false alarm. Usage: itests/scripts/false-failovers-under-stress.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-120}
tarball=$(ls karaf-assembly/target/vmha-*.tar.gz)
work=$(mktemp -d)
tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/vmha-*)
log="$home/data/log/karaf.log"
journal="$home/data/vmha/events/events.jsonl"
load=()
cleanup() {
  for p in "${load[@]}"; do kill "$p" 2>/dev/null || true; done
  "$home/bin/stop" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$home/bin/start"
echo "waiting for the 20 VMs to run..."
for _ in $(seq 1 240); do
  n=$(grep -c '"type":"org.vmha.vm.powered-on"' "$journal" 2>/dev/null || true)
  [ "${n:-0}" -ge 20 ] && break
  sleep 0.5
done
[ "${n:-0}" -ge 20 ] || { echo "the cluster did not come up: ${n:-0} of 20 vm.powered-on in $journal" >&2; exit 1; }
sleep 5   # let the last starts settle
mark=$(wc -l < "$journal")
logmark=$(wc -l < "$log")
echo "saturating $(nproc) cores for ${duration}s"
if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu 0 --timeout "${duration}s" --quiet &
  load+=($!)
else
  for _ in $(seq 1 "$(nproc)"); do timeout "$duration" sh -c 'while :; do :; done' & load+=($!); done
fi
wait "${load[@]}" || true
load=()
sleep 5
tail -n +"$((mark + 1))" "$journal" > "$work/during.log"
fenced=$(tail -n +"$((logmark + 1))" "$log" | grep -c 'the fencing watchdog powered off' || true)
failed=$(grep -c '"type":"org.vmha.host.failed"' "$work/during.log" || true)
partitioned=$(grep -c '"type":"org.vmha.host.partitioned"' "$work/during.log" || true)
restarted=$(grep -c '"type":"org.vmha.vm.restarted"' "$work/during.log" || true)
echo "RESULT stress ${duration}s on $(nproc) cores: host.failed=$failed host.partitioned=$partitioned vm.restarted=$restarted fenced=$fenced"
