#!/bin/sh
# Plans fleets of every size and shape and prints how close each plan is
# to its proven bounds, how long it took and how much memory (a Markdown
# table, docs/performance.md).
#
#   bench/scale.sh [--seed N] [--plan-seed N] [--threads N] [--repeat N]
#                  [FLEET...]
#
# --seed N draws the generated fleets (default 1); --plan-seed N is the
# planner's --seed (default 1, what `stagger plan` uses when a user does
# not say: a fleet of another draw is planned as a user would plan it).
#
# FLEET is one of
#   e20 e200 e2000   an estate of 20, 200 or 2,000 branch sites from
#                    stagger-genestate (groups across computers, regions,
#                    servers with max_jobs below their computers, fixed
#                    throttles at 85% of the line, sites that cannot keep
#                    the limit); e20w ... with --week, e200c ... with
#                    --busy-core (a data-centre core that binds and is
#                    busy: every site's traffic meets there), e200g ...
#                    with --wide-groups (the file servers of 3 to 8 sites
#                    of one DPM server in one group); the letters combine
#                    (e20wc: a week with a busy core; e200wcg: all three)
#   S M L XL         a fleet from stagger-genfleet (every site sized so
#                    that the limit can be kept)
#   a .yaml file     planned as it is
# (default: e20 e200 e2000 S M L XL).
#
# Environment: TIME_LIMIT (default 60s), BUILD (the build directory,
# default build/ beside bench/), OLD (another stagger program, e.g. an
# earlier version, planned beside this one on every fleet).  With OLD,
# a list after the table compares each fleet's two plans as the planner
# compares plans (stagger-order: simulated and scored by this version,
# the worst links first), e.g. "e200: new better: link 154 of 216,
# 36.715% against 36.410% (dpm05-nic in old)", and where it differs on
# the links at risk alone (stagger-order --at-risk: a headroom above 50%
# counts as 50%).
#
# Per fleet and program: the worst link's headroom against its bound for
# every schedule and the bound for schedules without max_jobs waits (the
# planner proves the latter per link; docs/model.md); the links at risk
# (under 50% headroom) and how many of them end more than one point below
# their own bound; seconds and peak MiB (GNU time, Debian package `time`);
# the parts and how many were proven; after the table, each plan checked
# by tests/stagger-verify (the load re-derived from the fleet and the
# transfers alone).  Today's settings (`stagger check`)
# are the first baseline.  With --repeat N each program plans each fleet
# N times (the programs taking turns) and the seconds are the median
# with the range; the plans must be the same every time.  Files go to
# bench/out/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
limit=${TIME_LIMIT:-60s}
seed=1
pseed=1
threads=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
repeat=1
out=$here/out

usage() {
    echo "usage: bench/scale.sh [--seed N] [--plan-seed N] [--threads N] [--repeat N] [FLEET...]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --plan-seed) [ $# -ge 2 ] || usage; pseed=$2; shift 2 ;;
    --threads) [ $# -ge 2 ] || usage; threads=$2; shift 2 ;;
    --repeat) [ $# -ge 2 ] || usage; repeat=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) usage ;;
    *) break ;;
    esac
done
fleets=${*:-e20 e200 e2000 S M L XL}
stagger=$build/cli/stagger
for x in "$stagger" "$build/bench/stagger-genestate" "$build/bench/stagger-genfleet"; do
    [ -x "$x" ] || { echo "scale.sh: $x is missing; build first: ninja -C $build" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "scale.sh: needs GNU time (Debian: apt-get install time)" >&2; exit 2; }
mkdir -p "$out"

# make FLEET: prints the path of the fleet file for a FLEET argument.
make_fleet() {
    case $1 in
    e[0-9]*) spec=${1#e}; n=${spec%%[!0-9]*}; shapes=${spec#"$n"}
        args="" suffix=""
        case $shapes in *w*) args="$args --week"; suffix="$suffix-week" ;; esac
        case $shapes in *c*) args="$args --busy-core"; suffix="$suffix-busycore" ;; esac
        case $shapes in *g*) args="$args --wide-groups"; suffix="$suffix-wide" ;; esac
        # each of w, c, g at most once, nothing else
        rest=$(printf '%s' "$shapes" | sed 's/w//; s/c//; s/g//')
        [ -z "$rest" ] || { echo "scale.sh: unknown fleet \"$1\"" >&2; exit 2; }
        f=$out/estate$n$suffix-seed$seed.yaml
        # shellcheck disable=SC2086
        "$build/bench/stagger-genestate" --sites "$n" --seed "$seed" $args -o "$f" ;;
    S|M|L|XL) f=$out/$1-seed$seed.yaml
        "$build/bench/stagger-genfleet" "$1" --seed "$seed" -o "$f" ;;
    *.yaml|*.yml) [ -f "$1" ] || { echo "scale.sh: $1: no such file" >&2; exit 2; }
        f=$1 ;;
    *) echo "scale.sh: unknown fleet \"$1\"" >&2; exit 2 ;;
    esac
    echo "$f"
}

# measure SCHEDULE: one line of figures read off a schedule file.
measure() {
    awk '
    function pct(s) { gsub(/[%",]/, "", s); return s + 0 }
    /^status:/ { status = $2 }
    /^  achieved:/ { achieved = pct($2) }
    /^  bound:/ { bound = pct($2); nowait = bound }
    /^  bound_without_waits:/ { nowait = pct($2) }
    /^solve:/ { m = $0; sub(/.*method: "/, "", m); sub(/" }.*/, "", m); method = m }
    /^links:/ { inlinks = 1; next }
    /^[a-z]/ { inlinks = 0 }
    inlinks && /^  - \{ name:/ {
        h = $0; sub(/.*headroom: /, "", h); h = pct(h)
        b = $0; sub(/.*bound: /, "", b); b = pct(b)
        own = b
        if ($0 ~ /bound_without_waits:/) { o = $0; sub(/.*bound_without_waits: /, "", o); own = pct(o) }
        links++
        if (h < 50) {
            risk++
            if (own - h > 1.0) { below++; if (own - h > worst) worst = own - h }
        }
    }
    END {
        parts = "1"; proven = "-"
        if (match(method, /[0-9]+ parts, [0-9]+ proven/)) {
            s = substr(method, RSTART, RLENGTH); split(s, a, /[ ,]+/)
            parts = a[1]; proven = a[3]
        }
        printf "%.1f%%\t%.1f%%\t%.1f%%\t%.1f\t%d\t%d\t%d\t%.1f\t%s\t%s\t%s\n",
            achieved, bound, nowait, nowait - achieved, links, risk, below,
            worst, status, parts, proven
    }' "$1"
}

case $repeat in ''|*[!0-9]*|0) usage ;; esac

# seconds FILE: the median of the seconds in FILE (one per line), with
# the range when there are several.
seconds() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (NR == 1) printf "%.2f", m
        else printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}

runs=
[ "$repeat" -gt 1 ] && runs=", each plan run $repeat times (seconds: the median, and the range)"
echo "Seed $seed (the planner's $pseed), time limit $limit, $threads threads$runs."
echo
echo "| fleet | program | today | worst link | bound | bound without waits | gap (points) | links | at risk | >1 point below own bound | largest gap (points) | status | parts | proven | seconds | MiB |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
for fl in $fleets; do
    f=$(make_fleet "$fl")
    today=$("$stagger" check "$f" 2>/dev/null | sed -n 's/^worst-link headroom \([-0-9.]*%\).*/\1/p' || true)
    for prog in new ${OLD:+old}; do
        : >"$out/secs.$prog"
        : >"$out/kib.$prog"
    done
    r=1
    while [ "$r" -le "$repeat" ]; do
        for prog in new ${OLD:+old}; do
            bin=$stagger
            [ "$prog" = old ] && bin=$OLD
            sched=$out/$(basename "$f" .yaml).$prog.schedule.yaml
            echo "scale.sh: $fl $prog (limit $limit, run $r of $repeat)" >&2
            [ "$r" -gt 1 ] && grep -v '^solve:' "$sched" >"$out/before.yaml"
            /usr/bin/time -f '%e %M' -o "$out/time.txt" "$bin" plan "$f" \
                -o "$sched" --time-limit "$limit" --seed "$pseed" \
                --threads "$threads" >/dev/null 2>"$out/plan.err" || true
            t=$(tail -n 1 "$out/time.txt")
            echo "${t%% *}" >>"$out/secs.$prog"
            echo "${t##* }" >>"$out/kib.$prog"
            if [ "$r" -gt 1 ] && ! grep -v '^solve:' "$sched" | cmp -s - "$out/before.yaml"; then
                echo "scale.sh: $fl $prog: run $r planned otherwise than run $((r - 1))" >&2
            fi
        done
        r=$((r + 1))
    done
    for prog in new ${OLD:+old}; do
        sched=$out/$(basename "$f" .yaml).$prog.schedule.yaml
        secs=$(seconds "$out/secs.$prog")
        kib=$(sort -n "$out/kib.$prog" | tail -n 1)
        IFS=$(printf '\t') read -r achieved bound nowait gap links risk below worst status parts proven <<EOF
$(measure "$sched")
EOF
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
            "$fl" "$prog" "${today:--}" "$achieved" "$bound" "$nowait" "$gap" "$links" \
            "$risk" "$below" "$worst" "$status" "$parts" "$proven" "$secs" \
            "$(awk -v k="$kib" 'BEGIN { printf "%.0f", k / 1024 }')"
    done
done
. "$here/order-line.sh"

# every plan through the checker that re-derives it from the fleet alone
echo
bad=0
verify=$build/tests/stagger-verify
[ -x "$verify" ] || { echo "stagger-verify is not built (tests disabled): the plans are not checked."; fleets_checked=; }
for fl in ${fleets_checked-$fleets}; do
    f=$(make_fleet "$fl")
    b=$out/$(basename "$f" .yaml)
    for prog in new ${OLD:+old}; do
        if ! "$verify" --quiet "$f" "$b.$prog.schedule.yaml"; then
            echo "stagger-verify refuses $fl's $prog plan: $verify $f $b.$prog.schedule.yaml"
            bad=$((bad + 1))
        fi
    done
done
[ -x "$verify" ] && [ "$bad" -eq 0 ] &&
    echo "stagger-verify: every plan above agrees with its fleet."

if [ -n "${OLD:-}" ]; then
    echo
    echo "In the order of schedules (stagger-order; new first, old second):"
    echo
    for fl in $fleets; do
        f=$(make_fleet "$fl")
        b=$out/$(basename "$f" .yaml)
        echo "- $fl: $(order_line "$build/bench/stagger-order" "$f" \
            "$b.new.schedule.yaml" "$b.old.schedule.yaml")"
    done
fi
