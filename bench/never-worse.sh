#!/bin/sh
# Plans every fleet of tests/ and examples/ (each .yaml file that
# `stagger validate` accepts), or the fleets named, with this version
# and with another stagger program, and compares the two plans of each
# as the planner compares plans (bench/order.c, stagger-order: both
# simulated and scored by this version, one that keeps every rule first,
# then the links' headrooms from the worst up), and again on the links
# at risk alone (--at-risk: a headroom above 50% counts as 50%, as the
# planner leaves a link out of risk once the links at risk are at their
# bounds).  This is the benchmark of "never a worse schedule than the
# planner before" (docs/performance.md).
#
#   OLD=/path/to/an/earlier/stagger bench/never-worse.sh [FLEET...]
#
# Environment: OLD (required), TIME_LIMIT (default 60s, as `stagger
# plan`), BUILD (default build/ beside bench/).  Both programs plan with
# --seed 1 and their default threads.  One line per fleet, e.g.
# "tests/data/plan/repair.yaml: same" or "...: new better: link 2 of 3,
# 65.000% against 40.000% (wa in old)", followed by "; on the links at
# risk: ..." where that differs, then the counts.  Files go to
# bench/out/never-worse/.  Exit status 0, 2 on bad use.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
limit=${TIME_LIMIT:-60s}
stagger=$build/cli/stagger
order=$build/bench/stagger-order
out=$here/out/never-worse

[ -n "${OLD:-}" ] || { echo "never-worse.sh: set OLD to the earlier stagger program" >&2; exit 2; }
[ -x "$OLD" ] || { echo "never-worse.sh: $OLD is not a program" >&2; exit 2; }
for p in "$stagger" "$order"; do
    [ -x "$p" ] || { echo "never-worse.sh: $p is missing; build first" >&2; exit 2; }
done
mkdir -p "$out"

if [ $# -eq 0 ]; then
    set -- $(cd "$root" && find tests examples -name '*.yaml' | sort)
    cd "$root"
fi

. "$here/order-line.sh"

same=0 new=0 old=0 none=0 rsame=0 rnew=0 rold=0
for f in "$@"; do
    "$stagger" validate "$f" >/dev/null 2>&1 || continue
    b=$out/$(printf '%s' "$f" | tr '/' '_')
    b=${b%.yaml}
    rm -f "$b.new.yaml" "$b.old.yaml"
    "$stagger" plan "$f" -o "$b.new.yaml" --time-limit "$limit" --seed 1 \
        >/dev/null 2>"$b.new.err" || true
    "$OLD" plan "$f" -o "$b.old.yaml" --time-limit "$limit" --seed 1 \
        >/dev/null 2>"$b.old.err" || true
    if [ ! -s "$b.new.yaml" ] || [ ! -s "$b.old.yaml" ]; then
        for prog in new old; do
            [ -s "$b.$prog.yaml" ] ||
                echo "$f: not planned by $prog: $(head -n 1 "$b.$prog.err")"
        done
        none=$((none + 1))
        continue
    fi
    line=$(order_line "$order" "$f" "$b.new.yaml" "$b.old.yaml")
    echo "$f: $line"
    o=${line%%; on the links at risk: *}
    r=${line#*; on the links at risk: }
    case $o in
    same) same=$((same + 1)) ;;
    new\ better*) new=$((new + 1)) ;;
    old\ better*) old=$((old + 1)) ;;
    *) none=$((none + 1)) ;;
    esac
    case $r in
    same) rsame=$((rsame + 1)) ;;
    new\ better*) rnew=$((rnew + 1)) ;;
    old\ better*) rold=$((rold + 1)) ;;
    esac
done
echo
echo "$((same + new + old + none)) fleets: $same the same, $new better with new, $old better with old, $none not compared"
echo "on the links at risk (stagger-order --at-risk: headrooms above 50% count as 50%): $rsame the same, $rnew better with new, $rold better with old"
