#!/bin/sh
# End-to-end tests of the stagger command line (commands.md), run from the
# repository root:
#
#   sh tests/e2e.sh build/cli/stagger build/tests/stagger-verify
#
# For each example fleet: it validates; today's settings saturate a link
# (check exits 1 and names it); plan finds a schedule that keeps every
# rule (exit 0); the independent checker stagger-verify and `stagger
# check` both accept that schedule; the same seed gives the same bytes.
# Then bad input and bad usage: exit 2, a located message, nothing written.
# Prints one TAP line per check; exits 1 when any failed.
#
# POSIX sh and coreutils only.
stagger=${1:?usage: e2e.sh STAGGER STAGGER-VERIFY}
verify=${2:?usage: e2e.sh STAGGER STAGGER-VERIFY}
limit=${E2E_TIME_LIMIT:-20s}

. "$(dirname "$0")/tap.sh"
tap_begin e2e
# STAGGER_WRAPPER (tests/wrap.sh): the programs run under it.
. tests/wrap.sh
stagger=$(stg_wrap "$tmp" "$stagger")
verify=$(stg_wrap "$tmp" "$verify")

# Two schedules are the same when every byte but the measured solve time
# is (docs/schedule.md: solve.seconds is the one value measured, not
# derived, so it is the one line two runs may differ in).
same_schedule() {
    grep -q '^solve: { seconds: ' "$1" && grep -q '^solve: { seconds: ' "$2" &&
    grep -v '^solve: { seconds: ' "$1" > "$1.cmp" &&
    grep -v '^solve: { seconds: ' "$2" > "$2.cmp" &&
    cmp -s "$1.cmp" "$2.cmp"
}

# A link that today's settings push past the limit, per example.
saturated_link() {
    case $1 in
    branch-office) echo branch-wan ;;
    company) echo ams-wan ;;
    week-cycle) echo plant-wan ;;
    esac
}

for ex in branch-office company week-cycle; do
    fleet=examples/$ex.yaml
    out=$tmp/$ex.schedule.yaml

    run validate-$ex "$stagger" validate "$fleet"
    expect_rc 0 "$ex: validate"
    if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/$name.out")" -ne 1 ]; then
        not_ok "$ex: validate prints a one-line summary"
        show "$tmp/$name.out"
    elif [ "$rc" -eq 0 ]; then
        ok "$ex: validate prints a one-line summary"
    fi

    # Today's settings: saturated.  The report names the link and says it
    # is below the limit (or violates it).
    run today-$ex "$stagger" check "$fleet"
    expect_rc 1 "$ex: check of today's settings finds violations"
    link=$(saturated_link "$ex")
    if grep -i "$link" "$tmp/$name.out" "$tmp/$name.err" |
        grep -Eiq 'below|violat|saturat|over|exceed|short'; then
        ok "$ex: check names $link below the limit"
    else
        not_ok "$ex: check names $link below the limit"
        show "$tmp/$name.out"
        show "$tmp/$name.err"
    fi

    # A plan keeps every rule, and both checkers agree.
    run plan-$ex "$stagger" plan "$fleet" -o "$out" --time-limit "$limit" --seed 7
    expect_rc 0 "$ex: plan finds a schedule that keeps the headroom"
    if [ ! -s "$out" ]; then
        not_ok "$ex: plan wrote $out"
        continue
    fi
    ok "$ex: plan wrote the schedule"
    if grep -q 'a longer --time-limit' "$tmp/$name.err" &&
        ! grep -q '^planned in .*time limit reached' "$tmp/$name.err"; then
        not_ok "$ex: no word of the time limit when the search ended by itself"
        show "$tmp/$name.err"
    else
        ok "$ex: no word of the time limit when the search ended by itself"
    fi

    run verify-$ex "$verify" "$fleet" "$out"
    expect_rc 0 "$ex: stagger-verify accepts the planned schedule"

    run recheck-$ex "$stagger" check "$fleet" "$out"
    expect_rc 0 "$ex: check of the planned schedule finds no violation"

    if [ "$ex" = branch-office ]; then
        if grep -q '^status: optimal$' "$out"; then
            ok "$ex: the schedule is proven optimal"
        else
            not_ok "$ex: the schedule is proven optimal ($(grep '^status:' "$out"))"
            grep -A6 '^headroom:' "$out" | sed 's/^/#   /'
        fi
    fi

    # Same fleet, seed and flags: the same bytes (unless the time limit
    # stopped a run, where commands.md promises nothing).
    run plan2-$ex "$stagger" plan "$fleet" -o "$out.2" --time-limit "$limit" --seed 7
    if grep -Eq '^stopped: true|time limit reached' "$out" "$out.2" 2>/dev/null; then
        ok "$ex: same seed, same bytes # SKIP the time limit stopped a run"
    elif [ "$rc" -eq 0 ] && same_schedule "$out" "$out.2"; then
        ok "$ex: same seed, same bytes"
    else
        not_ok "$ex: same seed, same bytes (second run exit $rc)"
        cmp "$out" "$out.2" 2>&1 | sed 's/^/#   /'
        # name the lines that differ
        grep -vxF -f "$out.2" "$out" | head -n 5 | sed 's/^/#   first:  /'
        grep -vxF -f "$out" "$out.2" | head -n 5 | sed 's/^/#   second: /'
    fi
done

# ---- a fleet small enough to plan well inside the time limit -------------
# (the larger examples may use all of it, and then promise no fixed bytes)

tiny=tests/data/verify/fleet.yaml
run tiny-plan "$stagger" plan "$tiny" -o "$tmp/tiny.yaml" --time-limit "$limit" --seed 3
expect_rc 0 "tiny fleet: plan"
run tiny-verify "$verify" "$tiny" "$tmp/tiny.yaml"
expect_rc 0 "tiny fleet: stagger-verify accepts the plan"
if grep -q '^status: optimal$' "$tmp/tiny.yaml"; then
    ok "tiny fleet: the plan is proven optimal"
else
    not_ok "tiny fleet: the plan is proven optimal"
fi
run tiny-plan2 "$stagger" plan "$tiny" -o "$tmp/tiny2.yaml" --time-limit "$limit" --seed 3
if [ "$rc" -eq 0 ] && same_schedule "$tmp/tiny.yaml" "$tmp/tiny2.yaml"; then
    ok "tiny fleet: same seed, same bytes"
else
    not_ok "tiny fleet: same seed, same bytes (second run exit $rc)"
    grep -vxF -f "$tmp/tiny2.yaml" "$tmp/tiny.yaml" | head -n 5 | sed 's/^/#   first:  /'
    grep -vxF -f "$tmp/tiny.yaml" "$tmp/tiny2.yaml" | head -n 5 | sed 's/^/#   second: /'
fi

# ---- a search the time limit ends ---------------------------------------
# (its queues make every move slow: one second was not enough on any
# machine this ran on; the check is skipped where it is)

run cut-plan "$stagger" plan tests/data/plan/queued-syncs.yaml -o "$tmp/cut.yaml" --time-limit 1s
if ! grep -q '^planned in .*time limit reached' "$tmp/$name.err"; then
    skip "cut search: plan says a longer --time-limit may do better" \
        "the search ended within 1 s"
elif grep -q '^the time limit ended the search before it was done: a longer --time-limit may give a better schedule$' "$tmp/$name.err"; then
    ok "cut search: plan says a longer --time-limit may do better"
else
    not_ok "cut search: plan says a longer --time-limit may do better"
    show "$tmp/$name.err"
fi

# ---- bad input and bad usage ---------------------------------------------

# A capacity without its unit (line 6, "capacity: 100").
bad=$tmp/unitless.yaml
cat >"$bad" <<'EOF'
stagger: 1
cycle: day
resolution: 1m
links:
  - name: wan
    capacity: 100
servers:
  - name: dpm01
computers:
  - { name: fs01, server: dpm01, path: [wan], throttle: 40Mbps }
groups:
  - name: Files
    server: dpm01
    sync: { every: 15m, offset: 0m }
    sources:
      - { name: 'D:\Data', computer: fs01, kind: file, size: 1TB, churn: 1%/day }
EOF

run unitless-validate "$stagger" validate "$bad"
expect_rc 2 "a unitless capacity: validate exits 2"
if grep -q "unitless.yaml:6:[0-9][0-9]*:" "$tmp/$name.err"; then
    ok "a unitless capacity: the message says file:line:column"
else
    not_ok "a unitless capacity: the message says file:line:column"
    show "$tmp/$name.err"
fi
if grep -Eq '^[[:space:]]*[0-9]*[[:space:]]*\|[[:space:]]*\^' "$tmp/$name.err" &&
    grep -q 'capacity: 100' "$tmp/$name.err"; then
    ok "a unitless capacity: the message quotes the line with a caret"
else
    not_ok "a unitless capacity: the message quotes the line with a caret"
    show "$tmp/$name.err"
fi

# check --all: every period below the limit, as many as the count says
run check-all "$stagger" check examples/short-site.yaml --all
expect_rc 1 "check --all of a short site: exit 1"
check "check --all lists every period it counts" sh -c "
    awk '/: below .* in [0-9]+ periods/ { if (want) exit 1; want = \$5; got = 0; next }
         want && /^    [0-9]/ { got += gsub(/[0-9][0-9]:[0-9][0-9]-[0-9][0-9]:[0-9][0-9]/, \"\") }
         want && !/^    / { if (got != want) exit 1; want = 0 }
         END { if (want && got != want) exit 1 }' '$tmp/check-all.out' &&
    grep -q 'below 15.0% in [0-9]* periods' '$tmp/check-all.out' &&
    ! grep -q ', \.\.\.\$' '$tmp/check-all.out'"

run zero-limit "$stagger" plan "$tiny" -o "$tmp/never.yaml" --time-limit 0s
expect_rc 2 "--time-limit 0s: exit 2"
check "--time-limit 0s: said to be zero, not 'not a duration'" \
    grep -q -- '--time-limit "0s" is not above zero; write e.g. 30s or 2m' "$tmp/zero-limit.err"
check "man page of export: exit status 1 not used" \
    sh -c "\"$stagger\" help --man export | grep -A1 '^.B 1\$' | grep -q '^not used: export judges nothing'"

run unitless-plan "$stagger" plan "$bad" -o "$tmp/never.yaml" --time-limit "$limit"
expect_rc 2 "a unitless capacity: plan exits 2"
if [ -e "$tmp/never.yaml" ]; then
    not_ok "a failed plan creates no -o file"
else
    ok "a failed plan creates no -o file"
fi
leftovers=$(ls -A "$tmp" | grep -c 'never')
if [ "$leftovers" -eq 0 ]; then
    ok "a failed plan leaves no temporary file beside the target"
else
    not_ok "a failed plan leaves no temporary file beside the target"
    ls -A "$tmp" | sed 's/^/#   /'
fi

keep=$tmp/existing.yaml
printf '%s\n' "# an existing file that a failed run must not touch" \
    "stagger-schedule: 1" >"$keep"
cp "$keep" "$tmp/existing.copy"
run unitless-existing "$stagger" plan "$bad" -o "$keep" --time-limit "$limit"
expect_rc 2 "a failed plan onto an existing -o file exits 2"
if cmp -s "$keep" "$tmp/existing.copy"; then
    ok "an existing -o file is left byte-identical after a failed run"
else
    not_ok "an existing -o file is left byte-identical after a failed run"
fi

run unknown-option "$stagger" plan examples/branch-office.yaml --no-such-option
expect_rc 2 "an unknown option exits 2"
run unknown-command "$stagger" no-such-command
expect_rc 2 "an unknown subcommand exits 2"
run no-args "$stagger"
expect_rc 2 "no subcommand exits 2"
run missing-fleet "$stagger" validate "$tmp/no-such-fleet.yaml"
expect_rc 2 "a missing fleet file exits 2"
run missing-check "$stagger" check "$tmp/no-such-fleet.yaml"
expect_rc 2 "check of a missing fleet file exits 2"
run missing-schedule "$stagger" check examples/branch-office.yaml "$tmp/no-such-schedule.yaml"
expect_rc 2 "check of a missing schedule file exits 2"
run missing-arg "$stagger" validate
expect_rc 2 "validate without a fleet exits 2"
run bad-limit "$stagger" plan examples/branch-office.yaml -o "$tmp/x.yaml" --time-limit soon
expect_rc 2 "a --time-limit that is no duration exits 2"
if [ -e "$tmp/x.yaml" ]; then
    not_ok "a plan refused for its options writes nothing"
else
    ok "a plan refused for its options writes nothing"
fi

# A fleet planned in parts (solver/parts.h): plan -v and check --parts
# say how it was split; the schedule states the bound for schedules
# without waits where it differs, and stagger-verify accepts it.
estate=tests/data/plan/estate12.yaml
run parts-check "$stagger" check "$estate" --parts
expect_rc 1 "check --parts of an estate that breaks the limit exits 1"
check "check --parts prints the parts" grep -q '^parts: 12, planned apart' "$tmp/$name.out"
check "check --parts names the shared links" grep -q '^    region01-hub ' "$tmp/$name.out"
run parts-plan "$stagger" plan "$estate" -v --time-limit "$limit" -o "$tmp/estate.yaml"
expect_rc 1 "plan -v of an estate that breaks the limit exits 1"
check "plan -v prints the parts" grep -q '^parts: ' "$tmp/$name.err"
check "plan -v: the summary gives the bound without waits" \
    grep -q 'without waits -[0-9.]*%, violates' "$tmp/$name.err"
check "the schedule states bound_without_waits" \
    grep -q '^  bound_without_waits: ' "$tmp/estate.yaml"
run parts-verify "$verify" "$estate" "$tmp/estate.yaml"
expect_rc 0 "stagger-verify accepts the estate's plan"

# A fleet whose computers cannot catch up (a backlog): the plan says so,
# writes no lag for the groups on them (it grows every cycle), and its
# schedule reads back.
run backlog-plan "$stagger" plan tests/data/plan/backlog.yaml --time-limit "$limit" -o "$tmp/backlog.yaml"
expect_rc 1 "plan of a fleet with a backlog exits 1"
check "the plan names the backlog" grep -q '^  - { kind: backlog, computer: c1 }' "$tmp/backlog.yaml"
if grep -q '^    lag: ' "$tmp/backlog.yaml"; then
    not_ok "no lag for groups on a computer that cannot catch up"
else
    ok "no lag for groups on a computer that cannot catch up"
fi
run backlog-check "$stagger" check tests/data/plan/backlog.yaml "$tmp/backlog.yaml"
expect_rc 1 "check reads the backlogged plan back (rules broken: exit 1)"
run backlog-verify "$verify" tests/data/plan/backlog.yaml "$tmp/backlog.yaml"
expect_rc 0 "stagger-verify accepts it: its one cycle, cut to the cycle, is its loads"

# A server whose queues alternate between two days (no day repeats):
# plan, check and the schedule file warn, naming the server, and the day
# shown passes stagger-verify.
run alternating-plan "$stagger" plan tests/data/plan/alternating.yaml --time-limit "$limit" -o "$tmp/alternating.yaml"
expect_rc 1 "plan of the alternating branch exits 1 (its link is over the limit)"
check "plan warns that dpm02's queues alternate" \
    grep -q '^warning: the queues of server dpm02 alternate between two days' "$tmp/alternating-plan.err"
check "... and so does the schedule file" \
    grep -q '^# warning: the queues of server dpm02 alternate' "$tmp/alternating.yaml"
run alternating-check "$stagger" check tests/data/plan/alternating.yaml "$tmp/alternating.yaml"
check "check warns the same" \
    grep -q '^warning: the queues of server dpm02 alternate' "$tmp/alternating-check.out"
run alternating-verify "$verify" tests/data/plan/alternating.yaml "$tmp/alternating.yaml"
expect_rc 0 "stagger-verify accepts the day shown"

# A core that binds and is busy, crossed by more than 1,000 computers
# (1,001 sites of one computer each, 18Mbps each into 15Mbps per site of
# core, busy a third of the time): crowded, it joins nothing (one part of
# them all would take minutes to prepare); the sites are planned apart.
awk 'BEGIN {
    n = 1001
    print "stagger: 1\nlinks:\n  - { name: core, capacity: " 15 * n "Mbps }"
    for (i = 0; i < n; i++) print "  - { name: w" i ", capacity: 20Mbps }"
    print "servers: [ { name: dpm, path: [core] } ]\ncomputers:"
    for (i = 0; i < n; i++)
        print "  - { name: c" i ", server: dpm, path: [w" i "], throttle: 18Mbps }"
    print "groups:"
    for (i = 0; i < n; i++)
        print "  - { name: g" i ", sync: { every: 1h, offset: 0m }, sources: " \
              "[ { name: s, computer: c" i ", kind: file, size: 1TB, churn: 60GB/day } ] }"
}' > "$tmp/crowded.yaml"
run crowded-check "$stagger" check "$tmp/crowded.yaml" --parts
check "check --parts: a crowded core leaves 1,001 parts" \
    grep -q '^parts: 1001, planned apart' "$tmp/$name.out"
check "check --parts names the crowded core" \
    grep -q '^  crowded wide links that bind (more than 1000 computers: never joined, polished): core$' \
    "$tmp/$name.out"
run crowded-plan "$stagger" plan "$tmp/crowded.yaml" -v --time-limit "$limit" -o "$tmp/crowded.out.yaml"
check "plan -v plans the crowded estate in 1,001 parts" grep -q '^parts: 1001, ' "$tmp/$name.err"
run crowded-verify "$verify" "$tmp/crowded.yaml" "$tmp/crowded.out.yaml"
expect_rc 0 "stagger-verify accepts the crowded estate's plan"

# One option parser for every command (cli/args.c): a value option given
# without its value says so in the same words everywhere, --name=value
# works, and a value is checked by its kind.
for cmdopt in "plan --seed" "plan --time-limit" "capacity --seed" \
              "whatif --seed" "whatif -j" "export --to"; do
    set -- $cmdopt
    run "novalue-$1$2" "$stagger" "$1" examples/branch-office.yaml "$2"
    expect_rc 2 "$1 $2 without a value exits 2"
    if grep -q "option '$2' needs a value" "$tmp/$name.err"; then
        ok "$1 $2 without a value: 'needs a value'"
    else
        not_ok "$1 $2 without a value: 'needs a value'"
        show "$tmp/$name.err"
    fi
done
run eq-form "$stagger" plan examples/branch-office.yaml --seed=3 --time-limit=5s -o "$tmp/eq.yaml"
expect_rc 0 "--seed=3 --time-limit=5s are read"
run bad-threads "$stagger" plan examples/branch-office.yaml --threads 0
expect_rc 2 "--threads 0 exits 2"
check "--threads 0: says the range" grep -q "is not a number from 1 to 256" "$tmp/$name.err"
run flag-value "$stagger" check examples/branch-office.yaml --help=yes
expect_rc 2 "a flag given a value exits 2"

# --help on every subcommand: the three this suite exercises, and every
# other one `stagger --help` lists.
seen=""
cmds=$("$stagger" --help 2>/dev/null |
    sed -n '/^commands:/,/^$/s/^  *\([a-z][a-z-]*\)  .*/\1/p')
for cmd in validate plan check $cmds; do
    case " $seen " in *" $cmd "*) continue ;; esac
    seen="$seen $cmd"
    run help-$cmd "$stagger" "$cmd" --help
    expect_rc 0 "$cmd --help"
    if [ -s "$tmp/$name.out" ]; then
        ok "$cmd --help prints its usage on stdout"
    else
        not_ok "$cmd --help prints its usage on stdout"
    fi
done
run help "$stagger" --help
expect_rc 0 "stagger --help"
# A recommended throttle that only the search shows to be too high: the
# planner lowers it until the limit holds (tests/data/plan/auto-step-down.yaml
# explains why no bound can tell).
asd=tests/data/plan/auto-step-down.yaml
run step-down "$stagger" plan "$asd" --time-limit "$limit" -o "$tmp/asd.yaml"
expect_rc 0 "plan lowers a recommended throttle the search cannot fit"
run step-down-verify "$verify" "$asd" "$tmp/asd.yaml"
expect_rc 0 "stagger-verify accepts the schedule with the lowered throttle"
fs01=$(sed -n 's/.*name: fs01, throttle: \([0-9.]*\)Mbps, recommended: true.*/\1/p' "$tmp/asd.yaml")
if [ -n "$fs01" ] && awk -v r="$fs01" 'BEGIN { exit !(r < 4.7) }'; then
    ok "fs01's recommended throttle ($fs01 Mbps) is below the first recommendation (4.7Mbps)"
else
    not_ok "fs01's recommended throttle is lowered (got '$fs01')"
    show "$tmp/asd.yaml"
fi

# plan_verified NAME FLEET RC WHAT: plans FLEET into $tmp/NAME.yaml,
# expects exit RC, and has stagger-verify accept the schedule; $name is
# left at the plan's run, so checks read its $tmp/$name.err.
plan_verified() {
    run "$1" "$stagger" plan "$2" --time-limit "$limit" -o "$tmp/$1.yaml"
    expect_rc "$3" "$4"
    run "$1-verify" "$verify" "$2" "$tmp/$1.yaml"
    expect_rc 0 "stagger-verify accepts the schedule: $4"
    name=$1
}

# A bound only the exact search proves (tests/data/plan/long-check.yaml
# says why no stagger keeps the limit): the plan's bound is its headroom.
lc=tests/data/plan/long-check.yaml
plan_verified lc "$lc" 1 "plan of a branch that cannot keep the limit exits 1"
check "the exact search proves the branch's optimum: bound = headroom" \
    grep -q '^  achieved: -81.2%' "$tmp/lc.yaml"
check "... and the bound printed is that headroom" \
    grep -q '^  bound: -81.2%' "$tmp/lc.yaml"

# A check that holds back its computer's syncs: only the second exact
# search (each computer's decisions first) proves this branch
# (tests/data/plan/check-holds-sync.yaml says why).
chs=tests/data/plan/check-holds-sync.yaml
plan_verified chs "$chs" 1 "plan of a branch whose check holds back its syncs exits 1"
check "the second exact search proves it: bound = headroom (-155.0%)" \
    grep -q '^  bound: -155.0%' "$tmp/chs.yaml"

# A branch six hours behind its DPM server (tests/data/plan/branch-6h.yaml):
# its throttle's work hours are on its own clock.  The plan keeps the
# limit and the checker, converting on its own, agrees; read on the
# server's clock the same fleet breaks it; every output says whose clock.
tz=tests/data/plan/branch-6h.yaml
plan_verified tz "$tz" 0 "plan of a branch six hours behind its server exits 0"
check "the schedule file says the branch throttle's hours are on its own clock" \
    grep -q "name: chi-fs01, .*# work hours on its own clock, UTC-05:00 (every other time: the DPM servers', UTC+01:00)" "$tmp/tz.yaml"
sed '/utc_offset/d' "$tz" >"$tmp/tz-server-clock.yaml"
run tz-check "$stagger" check "$tmp/tz-server-clock.yaml"
expect_rc 1 "the same fleet with the hours on the server's clock breaks the limit"
run tz-check-own "$stagger" check "$tz"
expect_rc 0 "... and keeps it today with them on the branch's"
check "check says whose clock its times are" \
    grep -q "^times: the DPM servers' clock, UTC+01:00 (throttle work hours: each computer's own)" "$tmp/tz-check-own.out"
run tz-ps1 "$stagger" export "$tmp/tz.yaml" --to ps1 -o "$tmp/tz.ps1"
check "the script names the branch's clock beside its work hours" \
    grep -q "chi-fs01 .*08:00-18:00 every day (its clock, UTC-05:00)" "$tmp/tz.ps1"

# Recommended throttles keep the limit, and the one that cannot is said
# loudly everywhere (tests/data/plan/hospital.yaml: hospa-img01 has more
# to move than any throttle within 15% headroom carries).
hosp=tests/data/plan/hospital.yaml
plan_verified hosp "$hosp" 1 "plan of the hospital group exits 1 (hospa-mpls cannot keep the limit)"
check "plan warns that hospa-img01's recommended throttle breaks the limit" \
    grep -q '^warning: the throttle recommended for hospa-img01 (.*) breaks the limit by itself' "$tmp/$name.err"
if [ "$(grep -c '^warning: the throttle recommended' "$tmp/$name.err")" = 1 ]; then
    ok "no other recommended throttle breaks the limit by itself"
else
    not_ok "no other recommended throttle breaks the limit by itself"
    show "$tmp/$name.err"
fi
check "the warning says what the largest safe throttle moves" \
    grep -q 'the largest that keeps it (55Mbps in work hours 07:00-19:00, 85Mbps outside) moves at most' "$tmp/$name.err"
check "the schedule file carries the warning as a comment" \
    grep -q '^# warning: the throttle recommended for hospa-img01' "$tmp/hosp.yaml"
# the work-hours rates of the other hospital computers stay within the
# 55Mbps the clinical traffic leaves below the limit
if awk '/^  - \{ name: hosp[bc]-/ { sub(/.*work: /, ""); sub(/Mbps.*/, ""); if ($0 + 0 > 55) bad = 1 } END { exit bad }' "$tmp/hosp.yaml"; then
    ok "recommended work-hours rates on hospb and hospc stay within the limit"
else
    not_ok "recommended work-hours rates on hospb and hospc stay within the limit"
    show "$tmp/hosp.yaml"
fi
run hosp-check "$stagger" check "$hosp" "$tmp/hosp.yaml"
expect_rc 1 "check of the hospital plan exits 1"
check "check repeats the warning" \
    grep -q '^warning: the throttle recommended for hospa-img01' "$tmp/$name.out"
run hosp-html "$stagger" export "$tmp/hosp.yaml" --to html -o "$tmp/hosp.html"
expect_rc 0 "export of the hospital plan to HTML"
check "the report shows the throttle warning" grep -q 'the throttle recommended for hospa-img01' "$tmp/hosp.html"

# A lag many times the sync period is a warning, and with
# --max-lag-factor a rule (tests/data/plan/ehr-lag.yaml).
lagf=tests/data/plan/ehr-lag.yaml
run lag-warn "$stagger" plan "$lagf" --time-limit "$limit" -o "$tmp/lag.yaml"
expect_rc 0 "a lag over 4 sync periods alone leaves the plan feasible (exit 0)"
check "plan warns of Clinic-EHR's lag, 28 times its sync period" \
    grep -q '^warning: group Clinic-EHR syncs every 15m, but a sync can take 7h .*(28.0 times that)' "$tmp/$name.err"
check "the schedule file carries the lag warning" \
    grep -q '^# warning: group Clinic-EHR syncs every 15m' "$tmp/lag.yaml"
run lag-check "$stagger" check "$lagf" "$tmp/lag.yaml"
expect_rc 0 "check of that plan exits 0"
check "check repeats the lag warning" grep -q '^warning: group Clinic-EHR' "$tmp/$name.out"
run lag-rule "$stagger" plan "$lagf" --max-lag-factor 4 --time-limit "$limit" -o "$tmp/lag4.yaml"
expect_rc 1 "--max-lag-factor 4 makes the lag a rule: exit 1"
check "the rule's violation is listed" grep -q 'group Clinic-EHR: lag 7h, over its max_lag 1h' "$tmp/$name.err"
check "the schedule lists the lag violation" grep -q 'kind: lag, group: Clinic-EHR' "$tmp/lag4.yaml"
run lag-rule-check "$stagger" check "$lagf" "$tmp/lag4.yaml" --max-lag-factor 4
expect_rc 1 "check with the same --max-lag-factor agrees: exit 1"
run lag-factor-zero "$stagger" plan "$lagf" --max-lag-factor 0
expect_rc 2 "--max-lag-factor 0 is refused"
if [ "$(grep -c '^warning: group' "$tmp/hosp.err")" = 4 ]; then
    ok "the hospital plan warns of the four groups whose syncs wait (EHR x3, imaging)"
else
    not_ok "the hospital plan warns of the four groups whose syncs wait"
    show "$tmp/hosp.err"
fi
check "the report lists the warnings" grep -q 'group HospB-EHR syncs every 15m' "$tmp/hosp.html"

# A database protected by express fulls only gets no syncs; the express
# full carries its changes (tests/data/plan/express-full-only.yaml).
efo=tests/data/plan/express-full-only.yaml
plan_verified efo "$efo" 0 "plan of a group with an express-full-only database"
sums=$(awk '/kind: sync,/ { v = $0; sub(/.*volume: /, "", v); sub(/GB.*/, "", v); sub(/MB.*/, "e-3", v); s += v }
            /kind: express_full,/ { v = $0; sub(/.*volume: /, "", v); sub(/GB.*/, "", v); e += v }
            END { printf "%.1f %.1f", s, e }' "$tmp/efo.yaml")
if [ "$sums" = "20.0 40.0" ]; then
    ok "syncs move ERP's 20GB a day alone; express fulls 40GB (ERP and Staging)"
else
    not_ok "syncs move ERP's 20GB a day alone; express fulls 40GB (got '$sums')"
    show "$tmp/efo.yaml"
fi

# On-the-wire compression: a group's transfers put the saved share less
# on the wire, and the independent checker agrees
# (tests/data/plan/compression.yaml; the script's side: tests/export.sh).
comp=tests/data/plan/compression.yaml
plan_verified comp "$comp" 0 "plan of a fleet with a compressed group"
check "a compressed check puts half of its 10GB on the wire" \
    grep -q 'group: Packed, computer: fs01, kind: consistency_check, .*volume: 5GB' "$tmp/comp.yaml"
check "an uncompressed group's syncs carry all their data (833.333MB an hour)" \
    grep -q 'group: Plain, computer: fs02, kind: sync, .*volume: 833.333MB' "$tmp/comp.yaml"
run comp-bad "$stagger" validate /dev/stdin <<'EOF2'
stagger: 1
links: [ { name: wan, capacity: 10Mbps } ]
servers: [ { name: dpm01 } ]
computers: [ { name: fs01, server: dpm01, path: [wan], throttle: 5Mbps } ]
groups:
  - { name: G, sync: { every: 1h }, compression: 95%, sources: [ { name: s, computer: fs01, kind: file, size: 1GB, churn: 1%/day } ] }
EOF2
expect_rc 2 "compression: 95% is refused"
check "compression out of range says the range" grep -q 'compression "95%" is not a share from 0% to 90%' "$tmp/$name.err"

# A file cut off after "groups:" (a truncated copy) has nothing to plan:
# every command refuses it, at the empty list, and writes nothing.
sed '/^groups:/q' examples/branch-office.yaml >"$tmp/cut.yaml"
for cmd in validate plan check capacity advise; do
    case $cmd in
        plan|capacity|advise) run "cut-$cmd" "$stagger" $cmd "$tmp/cut.yaml" -o "$tmp/cut-$cmd.target" ;;
        *) run "cut-$cmd" "$stagger" $cmd "$tmp/cut.yaml" ;;
    esac
    expect_rc 2 "$cmd of a fleet cut off after groups: exits 2"
    if grep -q "cut.yaml:[0-9]*:[0-9]*: the fleet has no groups: " "$tmp/cut-$cmd.err" &&
       [ ! -e "$tmp/cut-$cmd.target" ]; then
        ok "$cmd: a located message names the empty key, nothing written"
    else
        not_ok "$cmd: a located message names the empty key, nothing written"
        show "$tmp/cut-$cmd.err"
    fi
done
run cut-whatif "$stagger" whatif "$tmp/cut.yaml" examples/branch-office-scenarios.yaml
expect_rc 2 "whatif of a fleet cut off after groups: exits 2"

# A long line is quoted around the column, with the caret under it.
{
    echo 'stagger: 1'
    printf 'links: ['
    i=0
    while [ $i -lt 40 ]; do printf '{ name: l%d, capacity: 1Mbps }, ' $i; i=$((i + 1)); done
    echo '{ name: x, capacity: 10 } ]'
} >"$tmp/long.yaml"
run long "$stagger" validate "$tmp/long.yaml"
expect_rc 2 "a fleet with a long line: exit 2"
quoted=$(sed -n 2p "$tmp/long.err")
caret=$(sed -n 3p "$tmp/long.err")
if [ "${#quoted}" -le 180 ] && echo "$quoted" | grep -q '^    2 | \.\.\.' &&
   [ "$(printf '%s' "$quoted" | cut -c"${#caret}")" = 1 ]; then
    ok "a long line is quoted around the column (at most 180 characters), the caret under it"
else
    not_ok "a long line is quoted around the column (at most 180 characters), the caret under it"
    show "$tmp/long.err"
fi

run version "$stagger" --version
expect_rc 0 "stagger --version"
if grep -q '[0-9]\.[0-9]' "$tmp/$name.out"; then
    ok "--version prints a version number"
else
    not_ok "--version prints a version number"
    show "$tmp/$name.out"
fi

echo "1..$n"
if [ "$fails" -ne 0 ]; then
    echo "# $fails of $n checks failed"
    exit 1
fi
exit 0
