#!/usr/bin/env bash
# Measures false failovers of the embedded simulated cluster (4 agents, 20 VMs, one Karaf) while both
# cores are saturated: boots the built distribution, waits until every VM runs, saturates every core for
# DURATION seconds with stress-ng (Debian package stress-ng; shell busy loops if it is missing), then
# counts host.failed / host.partitioned / vm.restarted events logged during the stress. No host is
# harmed, so every one of them is a false alarm. Usage: itests/scripts/false-failovers-under-stress.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-120}
tarball=$(ls karaf-assembly/target/vmha-*.tar.gz)
work=$(mktemp -d)
tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/vmha-*)
log="$home/data/log/karaf.log"
cleanup() { "$home/bin/stop" >/dev/null 2>&1 || true; pkill -f "stress-ng --cpu" 2>/dev/null || true; }
trap cleanup EXIT

"$home/bin/start"
echo "waiting for the 20 VMs to run..."
for _ in $(seq 1 240); do
  n=$(grep -c '"type":"org.vmha.vm.restarted"' "$log" 2>/dev/null || true)
  [ "${n:-0}" -ge 20 ] && break
  sleep 0.5
done
grep -q '"type":"org.vmha.vm.restarted"' "$log" || { echo "the cluster did not come up" >&2; exit 1; }
sleep 5   # let the last starts settle
mark=$(wc -l < "$log")
echo "saturating $(nproc) cores for ${duration}s"
if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu 0 --timeout "${duration}s" --quiet
else
  for _ in $(seq 1 "$(nproc)"); do timeout "$duration" sh -c 'while :; do :; done' & done
  wait
fi
sleep 5
tail -n +"$((mark + 1))" "$log" > "$work/during.log"
failed=$(grep -c '"type":"org.vmha.host.failed"' "$work/during.log" || true)
partitioned=$(grep -c '"type":"org.vmha.host.partitioned"' "$work/during.log" || true)
restarted=$(grep -c '"type":"org.vmha.vm.restarted"' "$work/during.log" || true)
echo "RESULT stress ${duration}s on $(nproc) cores: host.failed=$failed host.partitioned=$partitioned vm.restarted=$restarted"
