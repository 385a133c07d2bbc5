#!/bin/sh
# bench/soundness.c (stagger-soundness), a small run: run from the
# repository root,
#
#   sh tests/soundness.sh build/bench/stagger-soundness
#
#   - 40 fleets (seeds 1..40) of at most 5,000 schedules each, planned by
#     both families of options: exit 0 and "violations 0" on the last
#     line;
#   - family A again prints the same counts (the statuses of the plans
#     and the seconds aside);
#   - the checker can fail: with STAGGER_SOUNDNESS_SABOTAGE=1 (every
#     link bound lowered by 5 points before the comparison; family B),
#     exit 1 and violations reported, each naming its seed;
#   - --write SEED FILE writes that fleet; an unknown option, a bad
#     family or a bad number: exit 2.
# Prints one TAP line per check; exits 1 when any failed.
soundness=${1:?usage: soundness.sh STAGGER-SOUNDNESS}

. "$(dirname "$0")/tap.sh"
tap_begin soundness
small="--seed 1 --fleets 40 --max-schedules 5000"

# shellcheck disable=SC2086
run small "$soundness" $small
expect_rc 0 "40 fleets, both families: no violation"
check "... the last line says violations 0" \
    grep -q '^fleets [1-9][0-9]*, schedules [1-9][0-9]*, violations 0$' \
    "$tmp/small.out"
check "... and fleets of both families were checked" \
    sh -c "grep -q '^family A: .* [1-9][0-9]* fleets checked' '$tmp/small.out' &&
           grep -q '^family B: .* [1-9][0-9]* fleets checked' '$tmp/small.out'"
show "$tmp/small.out"

# shellcheck disable=SC2086
run again "$soundness" $small --family A
# (the statuses and seconds aside: they may depend on the timing)
counts='s/ ([0-9]* optimal.*limit)//; s/, [0-9.]* s$//'
sed "$counts" "$tmp/again.out" >"$tmp/again.counts"
grep '^family A' "$tmp/small.out" | sed "$counts" >"$tmp/small.counts"
check "the same seeds give the same counts" \
    sh -c "grep -q '^family A' '$tmp/again.counts' &&
           grep '^family A' '$tmp/again.counts' | cmp -s - '$tmp/small.counts'"

# shellcheck disable=SC2086
run sabotage env STAGGER_SOUNDNESS_SABOTAGE=1 "$soundness" $small --family B
expect_rc 1 "with every link bound lowered by 5 points: exit 1"
check "... violations counted" \
    grep -q '^fleets [1-9][0-9]*, schedules [1-9][0-9]*, violations [1-9][0-9]*$' \
    "$tmp/sabotage.out"
check "... each named with its seed and how to write the fleet" \
    grep -q '^violation: family [AB] seed [0-9]*: link .* bound .*(the fleet: stagger-soundness --write [0-9]* FILE)$' \
    "$tmp/sabotage.out"

run write "$soundness" --write 7 "$tmp/f7.yaml"
expect_rc 0 "--write 7 FILE"
check "... writes the fleet" grep -q '^stagger: 1$' "$tmp/f7.yaml"
run write2 "$soundness" --write 7 "$tmp/f7b.yaml"
check "... the same fleet again" cmp -s "$tmp/f7.yaml" "$tmp/f7b.yaml"

run badopt "$soundness" --fast
expect_rc 2 "an unknown option exits 2"
run badfam "$soundness" --family C
expect_rc 2 "an unknown family exits 2"
run badnum "$soundness" --fleets ten
expect_rc 2 "a number that is not exits 2"
run badwrite "$soundness" --write x "$tmp/x.yaml"
expect_rc 2 "--write with a seed that is not a number exits 2"

echo "1..$n"
[ "$fails" -eq 0 ]
