#!/bin/sh
# Plans small random fleets of every shape and holds each plan to
# stagger-verify (docs/hardening.md, "Plans of random fleets, verified").
#
#   bench/verify-random.sh [FIRST [LAST [BUILD]]]   (default 1 3000 build/)
#
# Fleet SEED is `stagger-soundness --write SEED` (servers with max_jobs,
# groups on several computers, fixed/auto/work-other throttles,
# backgrounds, checks, week cycles, hubs: bench/soundness.c); each is
# planned with `stagger plan --time-limit 2s` (seed 1, two threads) and
# the schedule checked by `stagger-verify`.  Seeds run in two halves side
# by side.  Prints one line per schedule stagger-verify refuses (its
# last line, and the files kept in bench/out/verify-random/), then
#
#   fleets N, planned N, verified N, refused N (backlog B, alternating A)
#
# where backlog and alternating count the refused plans with a backlog
# violation or a server whose queues alternate.  Exit 1 when any is
# refused.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
first=${1:-1}
last=${2:-3000}
build=${3:-$(dirname "$here")/build}
out=$here/out/verify-random
mkdir -p "$out"
rm -f "$out"/*

half() {        # half FROM TO: plans and verifies seeds FROM..TO
    s=$1
    while [ "$s" -le "$2" ]; do
        f=$out/fleet-$s.yaml
        p=$out/plan-$s.yaml
        if "$build/bench/stagger-soundness" --write "$s" "$f" 2>/dev/null; then
            echo "fleet $s" >>"$out/log.$1"
            timeout 120 "$build/cli/stagger" plan "$f" -o "$p" \
                --time-limit 2s --seed 1 --threads 2 >/dev/null 2>&1 || true
            if [ -f "$p" ]; then
                echo "planned $s" >>"$out/log.$1"
                if "$build/tests/stagger-verify" "$f" "$p" >"$out/verify-$s.txt" 2>&1; then
                    rm -f "$f" "$p" "$out/verify-$s.txt"
                else
                    b=$(grep -c 'kind: backlog' "$p" || true)
                    a=$(grep -c '^# warning: the queues of server' "$p" || true)
                    echo "refused $s backlog=$b alternating=$a" >>"$out/log.$1"
                    echo "seed $s: $(tail -n 1 "$out/verify-$s.txt")"
                fi
            else
                rm -f "$f"
            fi
        fi
        s=$((s + 1))
    done
}

mid=$(( (first + last) / 2 ))
half "$first" "$mid" &
half $((mid + 1)) "$last"
wait
cat "$out"/log.* >"$out/log"
rm -f "$out"/log.*
fleets=$(grep -c '^fleet ' "$out/log" || true)
planned=$(grep -c '^planned ' "$out/log" || true)
refused=$(grep -c '^refused ' "$out/log" || true)
backlog=$(grep -c '^refused .* backlog=[1-9]' "$out/log" || true)
alternating=$(grep -c '^refused .* alternating=[1-9]' "$out/log" || true)
echo "fleets $fleets, planned $planned, verified $((planned - refused)), refused $refused (backlog $backlog, alternating $alternating)"
[ "$refused" -eq 0 ]
