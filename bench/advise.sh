#!/bin/sh
# Runs `stagger advise` on fleets that cannot keep the limit and prints,
# per fleet, how many links advice brings to the limit, with how many
# changes, and in how long (a Markdown table, docs/advice.md).
#
#   bench/advise.sh [--seed N] [--threads N] [FLEET...]
#
# FLEET is one of
#   e20 e200         an estate of 20 or 200 branch sites from
#                    stagger-genestate (groups across computers, servers
#                    with max_jobs below their computers, fixed throttles
#                    at 85% of the line, sites that cannot keep the limit);
#                    e20w ... with --week; e20s2 ... with seed 2
#   cph              examples/company.yaml with its Copenhagen scenario
#                    (3Mbps more office traffic)
#   a .yaml file     advised as it is
# (default: the examples and test fleets that are short, cph, e20, e20s2,
# e20w, e200).
#
# Environment: TIME_LIMIT (each whole-fleet plan, default 60s),
# PROBE_LIMIT (each probe, default 2s), BUILD (the build directory,
# default build/ beside bench/).
#
# Per fleet: the links below the limit in the plan; those with a change
# set that meets the limit in the probe of its computers; of those, the
# changes in the best set (mean, max) and how many are a wider link
# alone; whether the first whole-fleet set meets the limit when the whole
# fleet is planned with it, and how many links it leaves below; seconds.
# Files go to bench/out/advise/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
limit=${TIME_LIMIT:-60s}
probe=${PROBE_LIMIT:-2s}
seed=1
threads=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
out=$here/out/advise

while [ $# -gt 0 ]; do
    case $1 in
        --seed) seed=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -eu/p' "$0" | sed 's/^# \{0,1\}//; /^set -eu/d'; exit 0 ;;
        --) shift; break ;;
        -*) echo "advise.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || set -- "$root/examples/short-site.yaml" \
    "$root/tests/data/advise/background.yaml" "$root/tests/data/advise/pinned.yaml" \
    "$root/tests/data/advise/overlap.yaml" "$root/tests/data/advise/waits.yaml" \
    cph e20 e20s2 e20w e200
mkdir -p "$out"
stagger=$build/cli/stagger

fleet_file() {  # NAME -> a fleet file
    case $1 in
        *.yaml) echo "$1" ;;
        cph)
            mkdir -p "$out/cph"
            "$stagger" whatif "$root/examples/company.yaml" \
                "$root/examples/company-scenarios.yaml" --save-dir "$out/cph" \
                >/dev/null 2>&1 || true
            echo "$out/cph/cph-traffic.fleet.yaml" ;;
        e*)
            n=${1#e}; week=; s=$seed
            case $n in *w) week=--week; n=${n%w} ;; esac
            case $n in *s[0-9]*) s=${n#*s}; n=${n%s*} ;; esac
            f=$out/$1.yaml
            # shellcheck disable=SC2086
            "$build/bench/stagger-genestate" --sites "$n" --seed "$s" $week -o "$f"
            echo "$f" ;;
        *) echo "advise.sh: unknown fleet $1" >&2; exit 2 ;;
    esac
}

echo "| fleet | links below the limit | a set meets | changes in the best set (mean, max) | a wider link only | whole fleet, first set | seconds |"
echo "|---|---|---|---|---|---|---|"
for name in "$@"; do
    f=$(fleet_file "$name")
    base=$(basename "$name" .yaml)
    res=$out/$base.out
    t0=$(date +%s.%N)
    "$stagger" advise "$f" --time-limit "$limit" --probe-limit "$probe" \
        --seed "$seed" --threads "$threads" >"$res" 2>"$out/$base.err" || true
    t1=$(date +%s.%N)
    awk -v name="$base" -v secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" '
        /^[^ ].*: -?[0-9.]+% headroom \(bound / { links++; inlink = 1; next }
        /^the whole fleet/ { inlink = 0; whole = 1; next }
        inlink && /^  changes that meet the limit/ { meets++; first = 1; next }
        inlink && first && /^    1\. / { n = 1; widen = ($0 ~ /widen link/); next }
        inlink && first && /longest sync lag/ {
            total += n; if (n > max) max = n
            if (widen && n == 1) wide++
            first = 0; next }
        inlink && first && /^       / { n++; if ($0 !~ /widen link/) widen = 0; next }
        whole && /^  1\. / { w1 = 1; next }
        whole && w1 && /longest sync lag/ {
            verdict = ($0 ~ /meets the limit/) ? "meets" : "falls short"
            w1 = 0; whole = 0; next }
        END {
            if (links == 0) { printf "| %s | 0 | - | - | - | - | %.1f |\n", name, secs; exit }
            printf "| %s | %d | %d | %s | %d | %s | %.1f |\n", name, links, meets,
                meets ? sprintf("%.1f, %d", total / meets, max) : "-", wide,
                verdict == "" ? "none" : verdict, secs
        }' "$res"
done
