#!/bin/sh
# bench/adversary.c (stagger-adversary) on tests/data/plan/estate12.yaml:
# run from the repository root,
#
#   sh tests/adversary.sh build/cli/stagger build/bench/stagger-adversary
#
#   - on the plan, with a small budget (300 simulations a link): exit 0,
#     one line per link of the schedule, none BROKEN, each one's best
#     found at least its schedule's headroom, and the summary
#     "links 14, evaluations 4200, broken 0, S s";
#   - the same seed gives the same lines (seconds aside), a link named
#     with --link the same line as in the run over every link;
#   - a copy of the schedule with one link's printed bound lowered 10
#     points below its headroom: exit 1, that link BROKEN, "broken 1";
#     likewise with bound_without_waits alone lowered (a link whose
#     schedule has no waits);
#   - a link's bounds set between its schedule's headroom and what the
#     search found: BROKEN, which only the search can show;
#   - a link the fleet lacks, a fleet that cannot be read, a bad option
#     or budget: exit 2.
# Prints one TAP line per check; exits 1 when any failed.
stagger=${1:?usage: adversary.sh STAGGER STAGGER-ADVERSARY}
adversary=${2:?usage: adversary.sh STAGGER STAGGER-ADVERSARY}

. "$(dirname "$0")/tap.sh"
tap_begin adversary
fleet=tests/data/plan/estate12.yaml

# the plan may break the fleet's rules (exit 1); what matters is the file
run plan "$stagger" plan "$fleet" -o "$tmp/s.yaml" --time-limit 10s
check "the fleet is planned" test -s "$tmp/s.yaml"

run all "$adversary" --evals 300 "$fleet" "$tmp/s.yaml"
expect_rc 0 "stagger-adversary finds no bound broken"
nlinks=$(sed -n '/^links:/,/^[a-z]/p' "$tmp/s.yaml" | grep -c '^  - { name: ')
check "... one line per link ($nlinks) and the summary" \
    test "$(grep -c . "$tmp/all.out")" = $((nlinks + 1))
if tail -n 1 "$tmp/all.out" |
    grep -Eq "^links $nlinks, evaluations $((nlinks * 300)), broken 0, [0-9]+\.[0-9] s\$"; then
    ok "... the summary: links $nlinks, evaluations $((nlinks * 300)), broken 0"
else
    not_ok "... the summary line"
    show "$tmp/all.out"
fi
pct='-?[0-9]+\.[0-9]%'
pct2='-?[0-9]+\.[0-9][0-9]%'
line="^[^ ]+  bound $pct  without waits $pct  schedule $pct2  found $pct2  without waits ($pct2|-)  evaluations [0-9]+  [0-9]+\.[0-9][0-9] s\$"
check "... every link's line in its format, none BROKEN" \
    test "$(sed '$d' "$tmp/all.out" | grep -Ec "$line")" = "$nlinks"
# fields: 1 name, 8 schedule, 10 found, 13 found without waits
check "... the best found is never below the schedule" \
    awk '!/^links / && $10 + 0 < $8 + 0 { bad = 1 } END { exit bad }' \
    "$tmp/all.out"

# determinism: the same lines again, and for the links named alone
strip() { sed 's/  [0-9.]* s$//; s/, [0-9.]* s$//' "$1"; }
run again "$adversary" --evals 300 "$fleet" "$tmp/s.yaml"
check "the same seed gives the same lines" \
    test "$(strip "$tmp/again.out")" = "$(strip "$tmp/all.out")"
run named "$adversary" --evals 300 --link site0012-wan --link dc-core \
    "$fleet" "$tmp/s.yaml"
expect_rc 0 "two links named with --link"
check "... the lines of the run over every link" test \
    "$(strip "$tmp/named.out" | head -n 2)" = \
    "$(strip "$tmp/all.out" | grep -E '^(dc-core|site0012-wan) ')"
run seed2 "$adversary" --seed 2 --evals 300 --link region01-hub "$fleet" "$tmp/s.yaml"
expect_rc 0 "another seed (--seed 2)"

# Sets link $1's printed bounds named in $2 (bound, bound_without_waits
# or both, space-separated) in $tmp/s.yaml to $3 points above its
# headroom there (negative: below), into $4.
set_bound() {
    awk -v l="$1" -v keys="$2" -v d="$3" '
        index($0, "{ name: " l ",") {
            match($0, /headroom: -?[0-9.]+%/)
            h = substr($0, RSTART + 10, RLENGTH - 11)
            n = split(keys, k, " ")
            for (i = 1; i <= n; i++)
                sub(k[i] ": -?[0-9.]+%", sprintf("%s: %.1f%%", k[i], h + d))
        }
        { print }' "$tmp/s.yaml" >"$4"
}

set_bound site0002-wan bound -10 "$tmp/low.yaml"
run low "$adversary" --evals 50 "$fleet" "$tmp/low.yaml"
expect_rc 1 "site0002-wan's bound 10 points below its headroom: exit 1"
check "... site0002-wan BROKEN, and no other link" \
    test "$(grep BROKEN "$tmp/low.out" | cut -d' ' -f1)" = site0002-wan
check "... the summary says broken 1" grep -Eq '^links [0-9]+, evaluations [0-9]+, broken 1, ' "$tmp/low.out"

# a link whose schedule has no waits, with a bound without waits of its own
free=$(grep -E "without waits $pct2  evaluations" "$tmp/all.out" | cut -d' ' -f1 |
       while read -r l; do
           grep -q "{ name: $l, .*bound_without_waits" "$tmp/s.yaml" && echo "$l"
       done | head -n 1)
if [ -n "$free" ]; then
    set_bound "$free" bound_without_waits -10 "$tmp/lowfree.yaml"
    run lowfree "$adversary" --evals 50 --link "$free" "$fleet" "$tmp/lowfree.yaml"
    expect_rc 1 "$free's bound_without_waits alone lowered: exit 1"
    check "... $free BROKEN" grep -q "^$free .*  BROKEN\$" "$tmp/lowfree.out"
else
    skip "bound_without_waits alone lowered" "no link without waits has one"
fi

# the link whose search found the most over its schedule (the figures
# are the same with the same seed and budget): bounds half way there
gain=$(awk '!/^links / { d = ($10 - $8) * 10; if (d > best) { best = d; l = $1 } }
            END { if (best >= 10) printf "%s %.1f\n", l, best / 20 }' "$tmp/all.out")
if [ -n "$gain" ]; then
    glink=${gain% *}
    gup=${gain#* }
    set_bound "$glink" "bound bound_without_waits" "$gup" "$tmp/mid.yaml"
    run mid "$adversary" --evals 300 --link "$glink" "$fleet" "$tmp/mid.yaml"
    expect_rc 1 "$glink's bounds $gup points above its headroom, below what the search finds: exit 1"
    check "... $glink BROKEN by the search" grep -q "^$glink .*  BROKEN\$" "$tmp/mid.out"
else
    skip "bounds between the schedule and the search" "no search found a point more"
fi

run nolink "$adversary" --link no-such-wan "$fleet" "$tmp/s.yaml"
expect_rc 2 "an unknown link exits 2"
check "... and names it" grep -q 'no link "no-such-wan"' "$tmp/nolink.err"
run nofleet "$adversary" "$tmp/missing.yaml" "$tmp/s.yaml"
expect_rc 2 "a fleet that cannot be read exits 2"
run badopt "$adversary" --fast "$fleet" "$tmp/s.yaml"
expect_rc 2 "an unknown option exits 2"
run badevals "$adversary" --evals 0 "$fleet" "$tmp/s.yaml"
expect_rc 2 "a budget of 0 exits 2"

echo "1..$n"
[ "$fails" -eq 0 ]
