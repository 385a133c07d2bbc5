#!/bin/sh
# bench/values.c (stagger-values) on the branch office: run from the
# repository root,
#
#   sh tests/values.sh build/cli/stagger build/bench/stagger-values
#
#   - one line per value of the decision (Branch-Files syncs every 15m
#     at a 1m resolution: 15 values), a star on exactly one;
#   - the starred line gives each link the peak the planned schedule
#     says it has (the same load model);
#   - another value gives another load somewhere (the lines are not all
#     the starred one);
#   - an express full (ef1) moves too, starred once; ef1x is no name;
#   - a group, a decision or a link the fleet lacks: exit 2 and a
#     message naming it; a fleet that cannot be read: exit 2.
# Prints one TAP line per check; exits 1 when any failed.
stagger=${1:?usage: values.sh STAGGER STAGGER-VALUES}
values=${2:?usage: values.sh STAGGER STAGGER-VALUES}

. "$(dirname "$0")/tap.sh"
tap_begin values
fleet=examples/branch-office.yaml

run plan "$stagger" plan "$fleet" -o "$tmp/s.yaml" --time-limit 20s
run values "$values" "$fleet" "$tmp/s.yaml" Branch-Files sync branch-wan dc-core
expect_rc 0 "stagger-values runs"
lines=$(tail -n +2 "$tmp/values.out" | grep -c .)
stars=$(grep -c ' \*$' "$tmp/values.out")
if [ "$lines" = 15 ] && [ "$stars" = 1 ]; then
    ok "15 values, one of them starred"
else
    not_ok "15 values, one of them starred (got $lines, $stars)"
    show "$tmp/values.out"
fi

# the starred line against the schedule's peaks
for link in branch-wan dc-core; do
    want=$(sed -n "s/.*{ name: $link, capacity: [^,]*, peak: \([0-9.]*%\).*/\1/p" "$tmp/s.yaml")
    col=$(head -n 1 "$tmp/values.out" | tr -s ' ' '\n' | grep -n "^$link\$" | cut -d: -f1)
    got=$(grep ' \*$' "$tmp/values.out" | tr -s ' ' '\n' | grep . | sed -n "${col}p")
    if [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "$link: the schedule's value gives its peak ($want)"
    else
        not_ok "$link: the schedule's value gives $got, the schedule says $want"
    fi
done
if [ "$(tail -n +2 "$tmp/values.out" | awk '{print $3, $4}' | sort -u | wc -l)" -gt 1 ]; then
    ok "other values load the links otherwise"
else
    not_ok "every value gives the same loads"
fi

run nogroup "$values" "$fleet" "$tmp/s.yaml" No-Such-Group sync branch-wan
expect_rc 2 "an unknown group exits 2"
check "... and names it" grep -q 'no group "No-Such-Group"' "$tmp/nogroup.err"
run nodec "$values" "$fleet" "$tmp/s.yaml" Branch-Files ef1 branch-wan
expect_rc 2 "a decision the group does not have exits 2"
check "... and names it" grep -q 'no decision "ef1"' "$tmp/nodec.err"
run efok "$values" "$fleet" "$tmp/s.yaml" Branch-SQL ef1 branch-wan
expect_rc 0 "an express full that moves: ef1"
check "... starred once" test "$(grep -c ' \*$' "$tmp/efok.out")" = 1
run efbad "$values" "$fleet" "$tmp/s.yaml" Branch-SQL ef1x branch-wan
expect_rc 2 "a decision name with trailing characters (ef1x) exits 2"
run nolink "$values" "$fleet" "$tmp/s.yaml" Branch-Files sync no-such-wan
expect_rc 2 "an unknown link exits 2"
check "... and names it" grep -q 'no link "no-such-wan"' "$tmp/nolink.err"
run nofleet "$values" "$tmp/missing.yaml" "$tmp/s.yaml" Branch-Files sync branch-wan
expect_rc 2 "a fleet that cannot be read exits 2"

echo "1..$n"
[ "$fails" -eq 0 ]
