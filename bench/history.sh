#!/bin/sh
# Measures stagger import and stagger diagnose on a long job history:
# the export examples/dpm/dpm01-paris.json with its jobs repeated, week
# after week back in time, to N jobs (default 1,000,000), then imported
# (with examples/dpm/sites.yaml) and diagnosed.  Prints seconds and peak
# MiB of each (GNU time, Debian package `time`).  Files go to bench/out/.
#
#   bench/history.sh [N]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
n=${1:-1000000}
stagger=$build/cli/stagger
[ -x "$stagger" ] || { echo "history.sh: $stagger is missing; build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "history.sh: needs GNU time (Debian: apt-get install time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "history.sh: needs python3" >&2; exit 2; }
mkdir -p "$here/out"
big=$here/out/history-$n.json

python3 - "$root/examples/dpm/dpm01-paris.json" "$big" "$n" <<'PY'
import datetime as dt, json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
e = json.load(open(src, encoding="utf-8-sig"))
jobs, week, out = e["jobs"], 0, []
F = "%Y-%m-%dT%H:%M:%S"
while len(out) < n:
    for j in jobs:
        if len(out) == n:
            break
        k = dict(j)
        for key in ("start", "end"):
            if k[key]:
                k[key] = (dt.datetime.strptime(k[key], F)
                          - dt.timedelta(weeks=week)).strftime(F)
        out.append(k)
    week += 1
e["jobs"] = out
with open(dst, "w", encoding="utf-8") as f:
    head = json.dumps({k: v for k, v in e.items() if k != "jobs"},
                      ensure_ascii=False)[:-1]
    f.write(head + ', "jobs": [\n')
    f.write(",\n".join(json.dumps(j, ensure_ascii=False) for j in out))
    f.write("\n]}\n")
PY
size=$(du -m "$big" | cut -f1)
echo "history: $n jobs, ${size} MB ($big)"
measure() {     # label, command...
    label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$here/out/history.time" "$@" \
        >/dev/null 2>"$here/out/history.err" || [ $? -eq 1 ]
    awk -v l="$label" 'END { printf "%-9s %6.1f s  %5.0f MiB\n", l, $1, $2 / 1024 }' \
        "$here/out/history.time"
}
measure import "$stagger" import "$big" --sites "$root/examples/dpm/sites.yaml" \
    -o "$here/out/history-fleet.yaml"
measure diagnose "$stagger" diagnose "$here/out/history-fleet.yaml" --jobs "$big"
