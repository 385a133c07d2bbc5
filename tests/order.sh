#!/bin/sh
# bench/order.c (stagger-order) on the branch office: run from the
# repository root,
#
#   sh tests/order.sh build/cli/stagger build/bench/stagger-order
#
#   - a plan against itself: "same";
#   - the plan against today's offsets (every sync at 0, which breaks
#     the limit): the plan better, whichever side it is on, because it
#     keeps every rule;
#   - two schedules that both break the limit: the better named with the
#     first place where the sorted headrooms differ, both headrooms
#     (read off `stagger check`) and the worse schedule's link;
#   - --at-risk: two schedules apart only on a link out of risk (80%
#     against 60%) are the same; links at risk are told apart as before;
#   - a schedule that cannot be read, or a wrong number of arguments:
#     exit 2.
# Prints one TAP line per check; exits 1 when any failed.
stagger=${1:?usage: order.sh STAGGER STAGGER-ORDER}
order=${2:?usage: order.sh STAGGER STAGGER-ORDER}

. "$(dirname "$0")/tap.sh"
tap_begin order
fleet=examples/branch-office.yaml

run plan "$stagger" plan "$fleet" -o "$tmp/s.yaml" --time-limit 20s
sed 's/offset: [0-9]*m/offset: 0m/' "$tmp/s.yaml" >"$tmp/today.yaml"
# the first group's sync (Branch-Exchange, hourly) moved to 7m
sed '0,/offset: 0m/s//offset: 7m/' "$tmp/today.yaml" >"$tmp/moved.yaml"

run same "$order" "$fleet" "$tmp/s.yaml" "$tmp/s.yaml"
expect_rc 0 "a plan against itself runs"
check "... and is the same" test "$(cat "$tmp/same.out")" = same
run first "$order" "$fleet" "$tmp/s.yaml" "$tmp/today.yaml"
check "the plan first, today's offsets second: the first better, keeping every rule" \
    test "$(cat "$tmp/first.out")" = "first better: it keeps every rule, the second does not"
run second "$order" "$fleet" "$tmp/today.yaml" "$tmp/s.yaml"
check "... and second: the second better" \
    test "$(cat "$tmp/second.out")" = "second better: it keeps every rule, the first does not"

# both below the limit: the headrooms decide, as stagger check scores them
h() {
    "$stagger" check "$fleet" "$1" 2>/dev/null |
        awk '$1 == "branch-wan" { sub(/%/, "", $3); printf "%.3f%%", $3; exit }'
}
ht=$(h "$tmp/today.yaml")
hm=$(h "$tmp/moved.yaml")
run link "$order" "$fleet" "$tmp/today.yaml" "$tmp/moved.yaml"
want="second better: link 1 of 2, $hm against $ht (branch-wan in the first)"
if [ "$ht" != "$hm" ] && [ "$(cat "$tmp/link.out")" = "$want" ]; then
    ok "two schedules below the limit: $want"
else
    not_ok "two schedules below the limit: want \"$want\""
    show "$tmp/link.out"
fi

# --at-risk: headrooms above 50% count as 50%.  wa keeps 40% whatever
# the offsets; wb 80% with b1 and b2 apart, 60% with both at 0.
cat >"$tmp/two.yaml" <<'EOF2'
stagger: 1
resolution: 1m
links:
  - { name: wa, capacity: 100Mbps }
  - { name: wb, capacity: 100Mbps }
servers: [ { name: dpm } ]
computers:
  - { name: a, server: dpm, path: [wa], throttle: 60Mbps }
  - { name: b1, server: dpm, path: [wb], throttle: 20Mbps }
  - { name: b2, server: dpm, path: [wb], throttle: 20Mbps }
groups:
  - { name: ga, sync: { every: 1h, offset: 0m }, sources: [ { name: d, computer: a, kind: file, size: 1TB, churn: 10GB/day } ] }
  - { name: gb1, sync: { every: 1h, offset: 0m }, sources: [ { name: d, computer: b1, kind: file, size: 1TB, churn: 10GB/day } ] }
  - { name: gb2, sync: { every: 1h, offset: 0m }, sources: [ { name: d, computer: b2, kind: file, size: 1TB, churn: 10GB/day } ] }
EOF2
run plan2 "$stagger" plan "$tmp/two.yaml" -o "$tmp/two-plan.yaml"
sed 's/offset: [0-9]*m/offset: 0m/' "$tmp/two-plan.yaml" >"$tmp/two-today.yaml"
run strict "$order" "$tmp/two.yaml" "$tmp/two-plan.yaml" "$tmp/two-today.yaml"
check "wb apart and together: the plan better at wb" \
    test "$(cat "$tmp/strict.out")" = "first better: link 2 of 2, 80.000% against 60.000% (wb in the second)"
run risk "$order" --at-risk "$tmp/two.yaml" "$tmp/two-plan.yaml" "$tmp/two-today.yaml"
expect_rc 0 "--at-risk runs"
check "... and finds them the same (wb out of risk in both)" \
    test "$(cat "$tmp/risk.out")" = same
run risk2 "$order" --at-risk "$fleet" "$tmp/today.yaml" "$tmp/moved.yaml"
check "... and tells links at risk apart as before" \
    test "$(cat "$tmp/risk2.out")" = "$(cat "$tmp/link.out")"

run unread "$order" "$fleet" "$tmp/s.yaml" "$tmp/missing.yaml"
expect_rc 2 "a schedule that cannot be read exits 2"
check "... and names it" grep -q 'missing.yaml' "$tmp/unread.err"
run usage "$order" "$fleet" "$tmp/s.yaml"
expect_rc 2 "two arguments exit 2"
check "... with the usage" grep -q '^usage: stagger-order' "$tmp/usage.err"

echo "1..$n"
[ "$fails" -eq 0 ]
