#!/bin/sh
# Runs that are stopped (commands.md): the time limit, SIGINT and SIGTERM
# during plan, and an -o that cannot be written.  Run from the
# repository root:
#
#   sh tests/stop.sh build/cli/stagger build/tests/stagger-verify build/bench/stagger-genestate
#
# On a generated estate of 500 sites (stagger-genestate: large enough, and
# with enough sites that no schedule fixes, that planning takes longer
# than the second these checks wait):
#   - plan --time-limit 2s ends within 3 s of wall time;
#   - SIGINT (and SIGTERM) one second into a 60 s plan, and a second one
#     0.1 s later (ignored), ends the run within
#     a second, with the best schedule so far written whole, marked
#     `stopped: true`, accepted by stagger-verify, exit 0 or 1 as the
#     schedule keeps the rules or not, and no temporary file left;
#   - an -o in a missing directory, or naming a directory, exits 2 within
#     a second, before the fleet is even planned, and writes nothing.
# Under STAGGER_WRAPPER (valgrind) the timed checks are skipped; the
# sanitizer setup sets STAGGER_TIME_SCALE=2 (everything runs about three
# times slower there) and the allowances are that many times longer.
# Prints one TAP line per check; exits 1 when any failed.
stagger=${1:?usage: stop.sh STAGGER STAGGER-VERIFY STAGGER-GENESTATE}
verify=${2:?usage: stop.sh STAGGER STAGGER-VERIFY STAGGER-GENESTATE}
genestate=${3:?usage: stop.sh STAGGER STAGGER-VERIFY STAGGER-GENESTATE}

. "$(dirname "$0")/tap.sh"
tap_begin stop
. tests/wrap.sh
stagger=$(stg_wrap "$tmp" "$stagger")
verify=$(stg_wrap "$tmp" "$verify")
timed=1
scale=${STAGGER_TIME_SCALE:-1}
[ -n "${STAGGER_WRAPPER:-}" ] && timed=0

check_status() {        # check_status STATUS DESCRIPTION: ok when STATUS is 0
    if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

fleet=$tmp/estate.yaml
if ! "$genestate" --sites 500 --seed 1 -o "$fleet" 2>"$tmp/gen.err"; then
    not_ok "generate an estate of 500 sites"
    show "$tmp/gen.err"
    echo "1..$n"
    exit 1
fi
ok "generate an estate of 500 sites"

# ---- the time limit ------------------------------------------------------
out=$tmp/limit.yaml
t0=$(now_ms)
"$stagger" plan "$fleet" -o "$out" --time-limit 2s >/dev/null 2>"$tmp/limit.err"
rc=$?
ms=$(( $(now_ms) - t0 ))
[ "$rc" -le 1 ]; check_status $? "plan --time-limit 2s exits 0 or 1 (exit $rc)"
[ "$rc" -le 1 ] || show "$tmp/limit.err"
if [ "$timed" = 1 ]; then
    [ "$ms" -le $((3000 * scale)) ]; check_status $? "plan --time-limit 2s ends within 3 s (${ms} ms)"
else
    skip "plan --time-limit 2s ends within 3 s" "timed under a wrapper"
fi
grep -q '^stagger-schedule: 1' "$out" 2>/dev/null
check_status $? "plan --time-limit 2s writes the schedule"

# ---- SIGINT and SIGTERM --------------------------------------------------
for sig in INT TERM; do
    if [ "$timed" = 0 ]; then
        skip "SIG$sig during plan" "timed under a wrapper"
        continue
    fi
    mkdir "$tmp/$sig"
    out=$tmp/$sig/schedule.yaml
    printf '# an older schedule, replaced whole\n' >"$out"
    "$stagger" plan "$fleet" -o "$out" --time-limit 60s >/dev/null 2>"$tmp/$sig.err" &
    pid=$!
    sleep 1
    t0=$(now_ms)
    kill -s "$sig" "$pid"
    sleep 0.1                   # a second one while the schedule is written
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    [ "$rc" -le 1 ]; check_status $? "SIG$sig during plan: exit 0 or 1 as the schedule keeps the rules (exit $rc)"
    [ "$rc" -le 1 ] || show "$tmp/$sig.err"
    [ "$ms" -le $((1000 * scale)) ]; check_status $? "SIG$sig during plan: the run ends within a second (${ms} ms)"
    grep -q '^stopped: true$' "$out"
    check_status $? "SIG$sig during plan: the schedule is written and marked stopped: true"
    grep -q 'best schedule found so far' "$tmp/$sig.err"
    check_status $? "SIG$sig during plan: the message says it is the best schedule so far"
    "$verify" "$fleet" "$out" >"$tmp/$sig.verify" 2>&1
    check_status $? "SIG$sig during plan: stagger-verify accepts the schedule"
    [ "$(ls -A "$tmp/$sig")" = schedule.yaml ]
    check_status $? "SIG$sig during plan: no temporary file is left beside it"
done

# ---- an -o that cannot be written ----------------------------------------
for target in "$tmp/no-such-dir/schedule.yaml" "$tmp"; do
    t0=$(now_ms)
    "$stagger" plan "$fleet" -o "$target" --time-limit 60s >/dev/null 2>"$tmp/unwritable.err"
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    [ "$rc" -eq 2 ]; check_status $? "an unwritable -o ($target) exits 2 (exit $rc)"
    grep -q "cannot write $target" "$tmp/unwritable.err"
    check_status $? "an unwritable -o: the message names it"
    [ ! -e "$tmp/no-such-dir" ]; check_status $? "an unwritable -o: nothing is created"
    if [ "$timed" = 1 ]; then
        [ "$ms" -le $((1000 * scale)) ]; check_status $? "an unwritable -o fails before planning (${ms} ms)"
    else
        skip "an unwritable -o fails before planning" "timed under a wrapper"
    fi
done

echo "1..$n"
[ "$fails" -eq 0 ]
