#!/usr/bin/env bash
# Runs every ha-sim regression scenario (bundles/ha-sim/src/test/resources/scenarios) and the docs' example with
# two builds of the simulator and compares what they print, statistics aside: a refactoring that must not change
# behaviour prints "same" for every scenario. Exit 1 if any differs.
#
#   itests/scripts/ha-sim-compare.sh BEFORE-all.jar AFTER-all.jar [MORE-SCENARIO.json ...]
#
# Each jar is a bundles/ha-sim/target/ha-sim-<version>-all.jar (for the "before" build: git worktree add, then
# mvn -B -o package -pl bundles/ha-sim -am -DskipTests there). Needs jq.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE.jar AFTER.jar [SCENARIO.json ...]" >&2; exit 2; }
before=$1 after=$2; shift 2
for j in "$before" "$after"; do [ -f "$j" ] || { echo "no such jar: $j" >&2; exit 2; }; done
command -v jq >/dev/null || { echo "jq is needed: apt-get install -y jq" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
for f in "$root"/bundles/ha-sim/src/test/resources/scenarios/*.json "$root"/docs/examples/scenario-*.json "$@"; do
  a=$(java -cp "$before" org.vmha.sim.run.HaSimCommand "$f" 2>/dev/null | jq -S 'del(.stats)')
  b=$(java -cp "$after" org.vmha.sim.run.HaSimCommand "$f" 2>/dev/null | jq -S 'del(.stats)')
  if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "same $(basename "$f")"; else echo "DIFF $(basename "$f")"; fail=1; fi
done
exit $fail
