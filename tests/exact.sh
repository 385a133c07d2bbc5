#!/bin/sh
# bench/exact.c (stagger-exact) on the hub of tests/data/plan/lift-room.yaml:
# run from the repository root,
#
#   sh tests/exact.sh build/cli/stagger build/bench/stagger-exact
#
#   - from the plan, A's WAN is proven at its bound (70.0%);
#   - from today's settings (A's syncs together, its WAN at 40.0%), the
#     search of the WAN alone finds 70.0% (over a B sync, the hub
#     raised), and the lift finds 70.0% with the hub where it was: the
#     links it moves, as the load model has them, are A's WAN alone;
#   - --with hub is that lift too; --with wb frees B's decisions as well;
#   - the held bound (--held) of wa from today's settings holds the hub,
#     the one worse link, and is 70.0%; --below 1 from the plan proves
#     that nothing puts wa above 71.0%;
#   - the peak's core (--peak) of wa from the plan bounds it at 70.0%,
#     and --peak with --lift is refused;
#   - a link the fleet lacks (or --with one), a fleet that cannot be
#     read, an unknown option: exit 2.
# Prints one TAP line per check; exits 1 when any failed.
stagger=${1:?usage: exact.sh STAGGER STAGGER-EXACT}
exact=${2:?usage: exact.sh STAGGER STAGGER-EXACT}

. "$(dirname "$0")/tap.sh"
tap_begin exact
fleet=tests/data/plan/lift-room.yaml

run plan "$stagger" plan "$fleet" -o "$tmp/s.yaml" --time-limit 20s
run planned "$exact" "$fleet" "$tmp/s.yaml" wa
expect_rc 0 "stagger-exact runs"
check "... from the plan: wa proven at 70.0%" \
    grep -q '^wa  schedule 70.0%  best 70.0%  proven' "$tmp/planned.out"

# today's settings: every group's offset as the fleet has it
awk '/^  - name: ga1$/ { g = "0m" } /^  - name: ga2$/ { g = "0m" }
     /^  - name: gb1$/ { g = "20m" } /^  - name: gb2$/ { g = "40m" }
     /^    sync: \{ every: 1h, offset: / && g { sub(/offset: [0-9]+m/, "offset: " g); g = "" }
     { print }' "$tmp/s.yaml" >"$tmp/today.yaml"
run alone "$exact" "$fleet" "$tmp/today.yaml" wa
expect_rc 0 "the search of wa alone, from today's settings"
check "... finds 70.0% from 40.0%" \
    grep -q '^wa  schedule 40.0%  best 70.0%  proven' "$tmp/alone.out"
run lift "$exact" --lift "$fleet" "$tmp/today.yaml" wa
expect_rc 0 "the lift of wa, from today's settings"
check "... finds 70.0% from 40.0%" \
    grep -q '^wa  schedule 40.0%  best 70.0%  nothing better' "$tmp/lift.out"
if [ "$(tail -n +2 "$tmp/lift.out")" = "  wa 40.0% -> 70.0%" ]; then
    ok "... and moves wa alone (the hub where it was)"
else
    not_ok "... and moves wa alone"
    show "$tmp/lift.out"
fi

run with "$exact" --with hub "$fleet" "$tmp/today.yaml" wa
expect_rc 0 "a lift with the hub named (--with hub)"
# the same answer and work; the seconds (the first line's end) may differ
for x in with lift; do
    sed 's/  [0-9.]* s$//' "$tmp/$x.out" > "$tmp/$x.cmp"
done
check "... the same as the lift" cmp -s "$tmp/with.cmp" "$tmp/lift.cmp"
run withwb "$exact" --with wb "$fleet" "$tmp/today.yaml" wa
expect_rc 0 "a lift with B's WAN named (--with wb)"
check "... the same placement: wb's computers are the hub's others" \
    grep -q '^wa  schedule 40.0%  best 70.0%' "$tmp/withwb.out"
run held "$exact" --held "$fleet" "$tmp/today.yaml" wa
expect_rc 0 "the held bound of wa, from today's settings"
check "... is 70.0%" \
    grep -q '^wa  schedule 40.0%  best 70.0%  held bound' "$tmp/held.out"
check "... with the hub held" grep -qx '  held hub 0.0%' "$tmp/held.out"
run below "$exact" --below 1 "$fleet" "$tmp/s.yaml" wa
expect_rc 0 "wa from the plan, a point above it (--below 1)"
check "... nothing above 71.0%" \
    grep -q '^wa  schedule 70.0%  best 70.0%  nothing above 71.0%' \
    "$tmp/below.out"
run peak "$exact" --peak "$fleet" "$tmp/s.yaml" wa
expect_rc 0 "the peak's core of wa, from the plan (--peak)"
check "... bounds it at its 70.0%" \
    grep -q "^wa  schedule 70.0%  peak's core bound 70.0%" "$tmp/peak.out"
run peaklift "$exact" --peak --lift "$fleet" "$tmp/s.yaml" wa
expect_rc 2 "--peak with --lift exits 2"
run belowbad "$exact" --below 0 "$fleet" "$tmp/s.yaml" wa
expect_rc 2 "--below 0 exits 2"
run nowith "$exact" --with no-such-wan "$fleet" "$tmp/s.yaml" wa
expect_rc 2 "an unknown --with link exits 2"

run nolink "$exact" "$fleet" "$tmp/s.yaml" no-such-wan
expect_rc 2 "an unknown link exits 2"
check "... and names it" grep -q 'no link "no-such-wan"' "$tmp/nolink.err"
run nofleet "$exact" "$tmp/missing.yaml" "$tmp/s.yaml" wa
expect_rc 2 "a fleet that cannot be read exits 2"
run badopt "$exact" --fast "$fleet" "$tmp/s.yaml" wa
expect_rc 2 "an unknown option exits 2"

echo "1..$n"
[ "$fails" -eq 0 ]
