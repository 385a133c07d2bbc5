#!/bin/sh
# Self-test of stagger-verify: a hand-checked schedule must pass (exit 0),
# each tampered copy must be caught (exit 1) with the expected complaint,
# and unreadable input is exit 2.  Run from the repository root:
#   sh tests/verify_selftest.sh build/tests/stagger-verify
verify=${1:?usage: verify_selftest.sh STAGGER-VERIFY}
# STAGGER_WRAPPER (tests/wrap.sh): the program runs under it.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagger-selftest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. tests/wrap.sh
verify=$(stg_wrap "$tmp" "$verify")
data=tests/data/verify
fails=0
n=0

report() {      # report STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" = ok ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        fails=$((fails + 1))
    fi
}

# expect CODE FILE PATTERN DESCRIPTION: exit status CODE and, when PATTERN
# is not empty, a line of the output matching it.
expect() {
    out=$("$verify" "${fleet:-$data/fleet.yaml}" "$2" 2>&1)
    rc=$?
    if [ "$rc" -ne "$1" ]; then
        report fail "$4 (exit $rc, expected $1)"
        printf '%s\n' "$out" | sed 's/^/# /'
    elif [ -n "$3" ] && ! printf '%s\n' "$out" | grep -q -- "$3"; then
        report fail "$4 (no line matching '$3')"
        printf '%s\n' "$out" | sed 's/^/# /'
    else
        report ok "$4"
    fi
}

expect 0 "$data/good.yaml" "agrees with" "the hand-checked schedule passes"
expect 1 "$data/bad-peak.yaml" "link wan peak: claimed 55.0%" \
    "a wrong peak claim is caught"
expect 1 "$data/bad-offset.yaml" "release: claimed 00:35" \
    "a sync released off its group's offset is caught"
expect 1 "$data/bad-volume.yaml" "Files fs01 sync volume per cycle" \
    "volumes that do not add up are caught"
expect 1 "$data/bad-lag.yaml" "group Files lag: claimed 1200s, recomputed 1680s" \
    "a lag that is not the schedule's is caught"
expect 1 "$data/bad-name.yaml" "claimed group Files computer fs02, recomputed not in the fleet" \
    "a transfer of a computer the fleet does not have is caught"
expect 1 "$data/bad-optimal.yaml" "status optimal with bound 45.0%" \
    "optimal with a bound above the achieved headroom is caught"
expect 1 "$data/bad-idle.yaml" "computer fs01 idle at 06:00" \
    "a computer idle with a released transfer is caught"
expect 1 "$data/bad-nowait.yaml" "bound without waits below what this schedule" \
    "a bound without waits below a schedule without waits is caught"
expect 2 "$data/missing.yaml" "" "a missing schedule is exit 2"
# a server whose queues alternate between two days (docs/model.md, "The
# simulation"): the day shown carries one merged sync more, which the
# schedule's warning about that server allows, and nothing else does
fleet=tests/data/plan/alternating.yaml
expect 0 "$data/alternating.yaml" "agrees with" \
    "a day of a server alternating between two passes with its warning"
expect 1 "$data/bad-alternating.yaml" "Branch-DB sql01 sync volume per cycle" \
    "... and without the warning its extra sync is caught"
fleet=

out=$("$verify" --quiet "$data/fleet.yaml" "$data/bad-peak.yaml" 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && [ -z "$out" ]; then
    report ok "--quiet prints nothing and still fails"
else
    report fail "--quiet prints nothing and still fails (exit $rc)"
fi

"$verify" "$data/fleet.yaml" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] && report ok "a missing argument is exit 2" ||
    report fail "a missing argument is exit 2 (exit $rc)"

echo "1..$n"
[ "$fails" -eq 0 ]
