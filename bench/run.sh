#!/bin/sh
# Compares `stagger plan` with the baselines of stagger-bench on generated
# fleets and prints a Markdown table.
#
#   bench/run.sh [--seed N] [SIZE|FLEET...]   SIZE: S M L XL (default: all)
#
# A FLEET argument (a .yaml file) is benchmarked as it is, instead of a
# generated fleet.
#
# Environment: TIME_LIMIT (default 60s) for every method, SEED (default 1),
# BUILD (the build directory, default build/ beside bench/), METHODS
# (default "today hand ghn milp cbc stagger").
#
# Each fleet is generated into bench/out/ (stagger-genfleet SIZE --seed N);
# every method runs as its own process, so its peak memory is its own.
# The raw lines (with each method's note) are kept in
# bench/out/SIZE-seedN.tsv; the notes are listed under the table.  milp and
# cbc are skipped when the MILP would have more than 2,000,000 rows.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
limit=${TIME_LIMIT:-60s}
seed=${SEED:-1}
methods=${METHODS:-today hand ghn milp cbc stagger}
out=$here/out

usage() {
    echo "usage: bench/run.sh [--seed N] [S|M|L|XL|FLEET.yaml ...]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --seed=*) seed=${1#--seed=}; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) usage ;;
    *) break ;;
    esac
done
sizes=${*:-S M L XL}
case $seed in ''|*[!0-9]*) echo "run.sh: --seed \"$seed\" is not a whole number" >&2; exit 2 ;; esac
for s in $sizes; do
    case $s in
    S|M|L|XL) ;;
    *.yaml|*.yml) [ -f "$s" ] || { echo "run.sh: $s: no such fleet file" >&2; exit 2; } ;;
    *) echo "run.sh: unknown size \"$s\" (S, M, L, XL or a fleet .yaml file)" >&2; exit 2 ;;
    esac
done

gen=$build/bench/stagger-genfleet
bench=$build/bench/stagger-bench
for x in "$gen" "$bench"; do
    [ -x "$x" ] || { echo "run.sh: $x is missing; build first: ninja -C $build" >&2; exit 2; }
done
case " $methods " in
*" cbc "*) command -v cbc >/dev/null 2>&1 ||
    echo "run.sh: cbc is not installed (Debian: apt-get install coinor-cbc); its rows will fail" >&2 ;;
esac
mkdir -p "$out"

tab=$(printf '\t')
pct() { case $1 in -) echo - ;; *) echo "$1%" ;; esac; }
notes=$out/notes.$$
table=$out/table.$$
trap 'rm -f "$notes" "$table"' EXIT INT TERM
: >"$notes"
: >"$table"

for size in $sizes; do
    case $size in
    S|M|L|XL)
        fleet=$out/$size-seed$seed.yaml
        tag=$size-seed$seed
        echo "run.sh: generating $size (seed $seed)" >&2
        "$gen" "$size" --seed "$seed" -o "$fleet" ;;
    *)
        fleet=$size
        size=$(basename "$size" | sed 's/\.ya\{0,1\}ml$//')
        tag=$size-seed$seed ;;
    esac
    tsv=$out/$tag.tsv
    : >"$tsv"
    for m in $methods; do
        echo "run.sh: $size $m (limit $limit)" >&2
        err=$out/$tag.$m.err
        if line=$("$bench" "$fleet" "$m" --time-limit "$limit" --seed "$seed" 2>"$err"); then
            rm -f "$err"
        else
            rc=$?
            msg=$(grep -v '^ ' "$err" | tail -n 1)
            line="$m${tab}-${tab}-${tab}-${tab}failed (exit $rc)${tab}-${tab}-${tab}$msg"
        fi
        printf '%s\n' "$line" >>"$tsv"
        IFS=$tab read -r method head bound gap status secs mib note <<EOF
$line
EOF
        case $status in
        skipped) status="skipped: model too large" ;;
        esac
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$method" \
            "$(pct "$head")" "$(pct "$bound")" "$gap" "$status" "$secs" "$mib" >>"$table"
        [ -z "$note" ] || printf -- '- %s %s: %s\n' "$size" "$method" "$note" >>"$notes"
    done
done

echo "Seed $seed, time limit $limit per method."
echo
echo "| size | method | headroom | bound | gap (points) | status | seconds | MiB |"
echo "|---|---|---:|---:|---:|---|---:|---:|"
cat "$table"
if [ -s "$notes" ]; then
    echo
    echo "Notes:"
    echo
    cat "$notes"
fi
