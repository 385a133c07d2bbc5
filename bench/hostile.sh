#!/bin/sh
# Times every reader on hostile input up to the documented limits
# (docs/limits.md) and prints the slowest (docs/hardening.md).
#
#   bench/hostile.sh [BUILD]        (default: build/ beside bench/)
#
# Inputs (written to bench/out/hostile/): 100,000 [ or { on one line in a
# fleet, a schedule and a scenarios file; a fleet that is one line of
# 16 MiB; 100,000 links (the most a list may hold); 4,000 levels of block
# nesting; a file of 16 MiB of one key repeated; schedules of 256 MiB
# (the schedule limit): all comments, one key repeated, one flow list of
# 134 million items, 53 million empty transfers, and a group whose
# recovery_points list fills the file; scenarios files of 16 MiB (their
# limit): one key repeated, a block list and a flow list of millions of
# values, all comments.  Each is read by
# `stagger validate`, `stagger check FLEET SCHEDULE` or `stagger whatif
# FLEET SCENARIOS`, which must refuse or accept it; one line per input
# with the seconds and the exit status, then the slowest.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$(dirname "$here")/build}
stagger=$build/cli/stagger
out=$here/out/hostile
mkdir -p "$out"
fleet=$(dirname "$here")/examples/branch-office.yaml

python3 - "$out" <<'PY'
import sys, os
o = sys.argv[1]
def w(name, text):
    with open(os.path.join(o, name), "w") as f:
        f.write(text)
w("brackets.fleet.yaml", "stagger: 1\nlinks: " + "[" * 100000 + "\n")
w("braces.fleet.yaml", "stagger: 1\nlinks: " + "{" * 100000 + "\n")
w("brackets.schedule.yaml", "stagger-schedule: 1\nlinks: " + "[" * 100000 + "\n")
w("brackets.scenarios.yaml", "stagger-scenarios: 1\nscenarios: " + "[" * 100000 + "\n")
w("longline.fleet.yaml", "stagger: 1\n# " + "a" * (16 * 1024 * 1024 - 20) + "\n")
w("links.fleet.yaml", "stagger: 1\nlinks:\n" + "".join(
    "  - { name: l%d, capacity: 1Mbps }\n" % i for i in range(100000)))
w("block.fleet.yaml", "stagger: 1\n" + "".join(
    " " * i + "k%d:\n" % i for i in range(4000)))
w("keys.fleet.yaml", "stagger: 1\n" + "cycle: day\n" * (16 * 1024 * 1024 // 11 - 2))
n = 256 * 1024 * 1024 - 128         # just under the schedule limit
h = "stagger-schedule: 1\ncycle: day\n"
line = "# " + "a" * 76 + "\n"
w("comments.schedule.yaml", h + line * (n // len(line)))
w("keys.schedule.yaml", h + "resolution: 1m\n" * (n // 15))
w("dense.schedule.yaml", h + "transfers: [" + "x," * (n // 2) + "x]\n")
w("empty.schedule.yaml", h + "transfers:\n" + "- {}\n" * (n // 5))
w("points.schedule.yaml", h + "groups:\n  - name: g\n    recovery_points: ["
  + "x," * (n // 2) + "x]\n")
n = 16 * 1024 * 1024 - 128          # the scenarios limit
h = "stagger-scenarios: 1\nscenarios:\n"
w("keys.scenarios.yaml", h + "  - name: a\n" + "    description: x\n" * (n // 20))
w("list.scenarios.yaml", h + "  - x\n" * (n // 6))
w("dense.scenarios.yaml", "stagger-scenarios: 1\nscenarios: [" + "x," * (n // 2) + "x]\n")
w("comments.scenarios.yaml", "stagger-scenarios: 1\n" + line * (n // len(line)))
PY

slowest=0 which=
run() {     # run LABEL CMD...
    label=$1
    shift
    t0=$(date +%s%N)
    set +e
    "$@" >/dev/null 2>&1
    rc=$?
    set -e
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    printf '%-36s %6d ms  exit %d\n' "$label" "$ms" "$rc"
    if [ "$ms" -gt "$slowest" ]; then slowest=$ms which=$label; fi
}
for f in brackets braces longline links block keys; do
    run "validate $f.fleet.yaml" "$stagger" validate "$out/$f.fleet.yaml"
done
for f in brackets comments keys dense empty points; do
    run "check $f.schedule.yaml" "$stagger" check "$fleet" "$out/$f.schedule.yaml"
done
for f in brackets keys list dense comments; do
    run "whatif $f.scenarios.yaml" "$stagger" whatif "$fleet" "$out/$f.scenarios.yaml"
done
echo "slowest: $which, $slowest ms"
