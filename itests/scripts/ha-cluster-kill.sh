#!/usr/bin/env bash
# Measures one host kill in a 3-node bin/ha-cluster (one Karaf per host, clustered brokers; docs/deployment.md):
# unpacks the built tarball, creates and starts the cluster, subscribes a NOC reader on node3 and node2 (MQTT),
# powers VM01 off and on through node2 (the request and its reply cross the broker cluster to node1's command
# route), kills node2 with kill -9, and prints the times of the org.vmha.host.failed and org.vmha.vm.restarted
# events node3's subscriber saw, then status --json. Needs mosquitto-clients and python3-qpid-proton.
# Usage: itests/scripts/ha-cluster-kill.sh [BASE_PORT]   (default 32400; the ports BASE..BASE+29 must be free)
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-32400}
tarball=$(ls karaf-assembly/target/vmha-*.tar.gz)
work=$(mktemp -d)
tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/vmha-*)
H="$home/bin/ha-cluster"
C="$work/cluster"
subs=()
cleanup() {
  "$H" stop "$C" >/dev/null 2>&1 || true
  for p in "${subs[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
"$H" create "$C" 3 --base-port "$base" >/dev/null
t0=$(date +%s%N); "$H" start "$C" >/dev/null; t1=$(date +%s%N)
echo "start of 3 nodes: $(( (t1 - t0) / 1000000 )) ms"
"$H" status "$C" --json
pw() { sed -n "s/^$2=//p" "$C/$1/etc/vmha-credentials.properties"; }
stdbuf -oL mosquitto_sub -h 127.0.0.1 -p $((base + 25)) -u noc -P "$(pw node3 noc)" -t ha/events -i kill-node3 -d > "$C/noc3.txt" 2>&1 &
subs+=($!)
stdbuf -oL mosquitto_sub -h 127.0.0.1 -p $((base + 15)) -u noc -P "$(pw node2 noc)" -t ha/events -i kill-node2 -d > "$C/noc2.txt" 2>&1 &
subs+=($!)
noc() { /usr/bin/python3 "$home/examples/noc-command.py" --url "amqp://127.0.0.1:$((base + 14))" --user operator \
  --password "$(pw node2 operator)" "$@"; }
# -d: mosquitto_sub prints the broker's SUBACK once subscribed
for _ in $(seq 1 100); do grep -qs SUBACK "$C/noc3.txt" && grep -qs SUBACK "$C/noc2.txt" && break; sleep 0.1; done
noc power-off '{"vm": "VM01"}' | cut -c1-160
noc power-on '{"vm": "VM01"}' | cut -c1-160
for _ in $(seq 1 100); do grep -q '"source":"/vmha/agent/node1"' "$C/noc2.txt" && break; sleep 0.1; done
echo "node2's NOC subscriber saw $(grep -c '"source":"/vmha/agent/node1"' "$C/noc2.txt") event(s) of node1's agent"
"$H" status "$C" --json
echo "kill -9 of node2 at $(date -u +%H:%M:%S.%N | cut -c1-12) UTC"
"$H" kill "$C" node2
for _ in $(seq 1 120); do
  "$H" status "$C" --json > "$C/after.json"
  grep -q '"name": "node2", "pid": null' "$C/after.json" && [ "$(grep -o '"VM[0-9]*"' "$C/after.json" | sort -u | wc -l)" -ge 9 ] && break
done
grep -o '"type":"org.vmha.\(host.failed\|vm.restarted\)","time":"[^"]*","subject":"[^"]*"' "$C/noc3.txt"
cat "$C/after.json"
