#!/bin/sh
# End-to-end tests of `stagger advise` (docs/advice.md), run from the
# repository root:
#
#   sh tests/advise.sh build/cli/stagger build/tests/stagger-verify
#
# On examples/short-site.yaml (a site no stagger can keep at the limit):
# the reasons (one group across two computers, a transfer longer than
# another group's sync period, one transfer alone), change sets that
# meet the limit, written as a scenarios file that `stagger whatif`
# replays to plans that keep every rule and that the independent checker
# accepts; every --keep-* option and --max-changes obeyed; exit 1 when no
# set meets (the -o file left as it was).  On tests/data/advise/: the
# background, a work/other throttle for office hours (replayed; on a
# branch six hours away, its hours named on the branch's clock), two
# express fulls held in their windows, two syncs that
# overlap at every placement, three that no pair proves, computers that
# wait for max_jobs (whose plan, its worst link at its bound without
# waits, spends no time in the MILP).  On a
# fleet that keeps the limit: nothing to change, exit 0, nothing written.
# plan --from: a plan of the same fleet (another seed) moves no group,
# today's settings move fewer groups than a plain plan at the same
# worst-link headroom, stagger-verify accepts both, a schedule of another
# fleet is refused.  Bad input: exit 2.  Prints one TAP line per check; exits 1 when any
# failed.
stagger=${1:?usage: advise.sh STAGGER STAGGER-VERIFY}
verify=${2:?usage: advise.sh STAGGER STAGGER-VERIFY}
quick="--time-limit 3s --probe-limit 1s --threads 2"

. "$(dirname "$0")/tap.sh"
tap_begin advise

verified() {    # verified FLEET SCHEDULE: stagger-verify accepts it
    "$verify" "$@" >/dev/null 2>&1
}

has() {         # has NAME TEXT: the last run's stdout holds TEXT
    grep -qF -- "$2" "$tmp/$1.out"
}

site=examples/short-site.yaml
data=tests/data/advise

# ---- why, and what meets the limit --------------------------------------
# shellcheck disable=SC2086
run site "$stagger" advise "$site" -o "$tmp/changes.yaml" $quick
expect_rc 0 "short site: exit 0 (a change set meets the limit on the whole fleet)"
check "short site: site-wan is below the limit" has site "site-wan: -65.0% headroom"
check "short site: one group across two computers (no offset parts them)" \
    has site "the sync of group Site-SQL runs on 2 computers behind site-wan at once"
check "short site: a transfer longer than another group's sync period" \
    has site "longer than the sync of group Site-Files on fs01.site.contoso.local runs apart (every 1h)"
check "short site: one transfer alone above the room" \
    has site "the sync of group Site-Files on fs01.site.contoso.local alone sends at 42.5Mbps"
check "short site: change sets that meet the limit" \
    has site "changes that meet the limit, least disruptive first:"
check "short site: a throttle change is among them" has site "throttle fs01.site.contoso.local: 42.5Mbps -> "
check "short site: the whole fleet planned with them meets the limit" \
    grep -q "meets the limit" "$tmp/site.out"
check "short site: the scenarios file is written" [ -s "$tmp/changes.yaml" ]
check "short site: the best whole-fleet set comes first" \
    grep -q '^  - name: advice-1$' "$tmp/changes.yaml"

# the sets, replayed by whatif: every plan keeps every rule, and the
# independent checker accepts each schedule on its scenario's fleet
mkdir "$tmp/save"
run replay "$stagger" whatif "$site" "$tmp/changes.yaml" --time-limit 10s --save-dir "$tmp/save"
expect_rc 1 "replay: exit 1 (the baseline breaks the limit)"
nscen=$(grep -c '^  - name: ' "$tmp/changes.yaml")
check "replay: a row per change set" [ "$(grep -c ' optimal \| feasible ' "$tmp/replay.out")" -eq "$nscen" ]
check "replay: no change set leaves a link below the limit" \
    [ "$(awk 'NR > 2 && $2 == "violates"' "$tmp/replay.out" | wc -l)" -eq 0 ]
bad=0
for fl in "$tmp"/save/*.fleet.yaml; do
    name=$(basename "$fl" .fleet.yaml)
    "$verify" "$fl" "$tmp/save/$name.schedule.yaml" >"$tmp/verify.out" 2>&1 ||
        { bad=1; show "$tmp/verify.out"; }
done
check "replay: stagger-verify accepts every change set's schedule" [ "$bad" -eq 0 ]

# ---- what the options forbid ---------------------------------------------
# shellcheck disable=SC2086
run keep_th "$stagger" advise "$site" --keep-throttles $quick
check "--keep-throttles: no throttle change" sh -c "! grep -q '^ *[0-9]*\.* *throttle ' '$tmp/keep_th.out'"
# shellcheck disable=SC2086
run keep_gr "$stagger" advise "$site" --keep-groups $quick
check "--keep-groups: no split and no server move" \
    sh -c "! grep -q 'split group\|to DPM server' '$tmp/keep_gr.out'"
# shellcheck disable=SC2086
run keep_fr "$stagger" advise "$site" --keep-frequency $quick
check "--keep-frequency: no sync made less frequent" \
    sh -c "! grep -q 'instead of every' '$tmp/keep_fr.out'"
# shellcheck disable=SC2086
run keep_cap "$stagger" advise "$site" --keep-capacity $quick
check "--keep-capacity: no wider link" sh -c "! grep -q 'widen link' '$tmp/keep_cap.out'"
# shellcheck disable=SC2086
run one "$stagger" advise "$site" --max-changes 1 -o "$tmp/one.yaml" $quick
if [ -f "$tmp/one.yaml" ]; then
    check "--max-changes 1: every set has one change" \
        sh -c "! grep -q 'description: .*;' '$tmp/one.yaml'"
else
    check "--max-changes 1: every set has one change" has one "no change set found meets"
fi

# nothing meets: exit 1, the output left as it was
printf 'keep me\n' >"$tmp/kept.yaml"
# shellcheck disable=SC2086
run none "$stagger" advise "$site" --keep-throttles --keep-capacity -o "$tmp/kept.yaml" $quick
expect_rc 1 "no set meets the limit: exit 1"
check "no set meets: the closest is shown" has none "no change set found meets the limit; the closest:"
check "no set meets: -o is left as it was" [ "$(cat "$tmp/kept.yaml")" = "keep me" ]

# advice on a schedule given
"$stagger" plan "$site" -o "$tmp/site.schedule.yaml" --time-limit 5s >/dev/null 2>&1
check "plan: the schedule file ends with the reasons as comments" \
    grep -q "^# why site-wan is below the limit:" "$tmp/site.schedule.yaml"
# shellcheck disable=SC2086
run given "$stagger" advise "$site" "$tmp/site.schedule.yaml" $quick
expect_rc 0 "a schedule given: advice on it, exit 0"
check "a schedule given: the same link and reasons" \
    has given "the sync of group Site-SQL runs on 2 computers behind site-wan at once"

# the report page names the reasons too
run html "$stagger" export "$tmp/site.schedule.yaml" --to html --fleet "$site" -o "$tmp/site.html"
expect_rc 0 "report of a short schedule: exit 0"
check "report: a section on why the link is below the limit" grep -q 'id="why"' "$tmp/site.html"
check "report: the reasons in it" grep -q "runs on 2 computers behind site-wan at once" "$tmp/site.html"
"$stagger" plan examples/branch-office.yaml -o "$tmp/fine.schedule.yaml" >/dev/null 2>&1
run html_fine "$stagger" export "$tmp/fine.schedule.yaml" --to html --fleet examples/branch-office.yaml -o "$tmp/fine.html"
check "report of a schedule that keeps the limit: no such section" sh -c "! grep -q 'id=\"why\"' '$tmp/fine.html'"

# ---- each reason -----------------------------------------------------------
# shellcheck disable=SC2086
run bg "$stagger" advise "$data/background.yaml" $quick
check "background: the reason comes first" \
    sh -c "grep -A1 '^  why:' '$tmp/bg.out' | grep -q 'the background alone is 9Mbps at 09:00'"
check "background: only a wider link helps" has bg "1. widen link shop-wan: 10Mbps -> "
check "background: no throttle is offered" sh -c "! grep -q ' throttle ' '$tmp/bg.out'"
# shellcheck disable=SC2086
run off "$stagger" advise "$data/office.yaml" -o "$tmp/office.yaml" $quick
check "office hours: a work/other pair is offered" \
    has off "throttle fs01.office.example: 12Mbps -> 9Mbps in work hours 08:00-18:00, 12Mbps at other times"
check "office hours: written as a work/other throttle" \
    grep -q "^        hours: '08:00-18:00'$" "$tmp/office.yaml"
run off_replay "$stagger" whatif "$data/office.yaml" "$tmp/office.yaml" --time-limit 10s
check "office hours: every set replays to a plan that keeps the limit" \
    [ "$(awk 'NR > 2 && $2 == "violates"' "$tmp/off_replay.out" | wc -l)" -eq 0 ]
# shellcheck disable=SC2086
run six "$stagger" advise "$data/branch-6h.yaml" -o "$tmp/six.yaml" $quick
check "six hours away: the work hours name the computer's clock" \
    has six "throttle chi-fs01: 16Mbps -> 7Mbps in work hours 08:00-18:00 (its clock, UTC-05:00), 16Mbps at other times"
check "six hours away: written in the computer's clock" \
    grep -q "^        hours: '08:00-18:00'$" "$tmp/six.yaml"
run six_replay "$stagger" whatif "$data/branch-6h.yaml" "$tmp/six.yaml" --time-limit 10s
check "six hours away: every set replays to a plan that keeps the limit" \
    [ "$(awk 'NR > 2 && $2 == "violates"' "$tmp/six_replay.out" | wc -l)" -eq 0 ]
# shellcheck disable=SC2086
run pin "$stagger" advise "$data/pinned.yaml" $quick
check "pinned: two express fulls held in their windows" \
    has pin "the express full of group Plant-MES on sql01.plant.example and the express full of group Plant-ERP on sql02.plant.example are held in their windows"
check "pinned: an express full moved meets the limit" has pin "1. move the express fulls of group Plant-"
# shellcheck disable=SC2086
run ovl "$stagger" advise "$data/overlap.yaml" $quick
check "overlap: two syncs that overlap at every placement" \
    has ovl "the sync of group Lab-A on fs01.lab.example and the sync of group Lab-B on fs02.lab.example overlap at every placement"
# shellcheck disable=SC2086
run unp "$stagger" advise "$data/unproven.yaml" $quick
check "unproven: many transfers together, which the link's bound shows no schedule parts" \
    has unp "no transfer or pair of them proves it alone: the peak (18Mbps, where the limit leaves 12.75Mbps) is many transfers together, and the link's bound proves"
# shellcheck disable=SC2086
run wt "$stagger" advise "$data/waits.yaml" $quick
check "waits: computers that wait for max_jobs" \
    has wt "computers behind it wait for a place on DPM server dpm01 (max_jobs 1 for 2 computers)"
run wtplan "$stagger" plan "$data/waits.yaml" -o "$tmp/waits.schedule.yaml"
check "waits: the plan, its worst link at its bound without waits, runs no MILP" \
    grep -q '^solve: .*method: "today" }' "$tmp/waits.schedule.yaml"

# ---- plan --from: as few groups moved as the plan allows -----------------
"$stagger" plan examples/company.yaml -o "$tmp/company.schedule.yaml" >/dev/null 2>&1
run from_same "$stagger" plan examples/company.yaml --seed 7 --from "$tmp/company.schedule.yaml" -o "$tmp/from.yaml"
expect_rc 0 "--from a plan of the same fleet: exit 0"
check "--from a plan of the same fleet: no group moves" \
    grep -q "^from $tmp/company.schedule.yaml: 0 of 11 groups moved, 0 throttles changed" "$tmp/from_same.err"
check "--from: stagger-verify accepts the schedule" verified examples/company.yaml "$tmp/from.yaml"
run from_today "$stagger" plan examples/company.yaml --from today -o "$tmp/today.yaml"
expect_rc 0 "--from today: exit 0"
moved=$(sed -n 's/^from today: \([0-9]*\) of 11 groups moved.*/\1/p' "$tmp/from_today.err")
check "--from today: fewer groups move than a plain plan moves" \
    [ -n "$moved" ] && [ "$moved" -lt 11 ]
check "--from today: the same worst-link headroom as a plain plan" \
    grep -q "^worst-link headroom 15.0% on hel-wan .*optimal" "$tmp/from_today.err"
check "--from today: stagger-verify accepts the schedule" verified examples/company.yaml "$tmp/today.yaml"
run from_other "$stagger" plan examples/company.yaml --from "$tmp/site.schedule.yaml" -o "$tmp/other.yaml"
expect_rc 2 "--from a schedule of another fleet: exit 2"
check "--from a schedule of another fleet: nothing written" [ ! -e "$tmp/other.yaml" ]

# ---- nothing to change, bad input ----------------------------------------
# shellcheck disable=SC2086
run fine "$stagger" advise examples/branch-office.yaml -o "$tmp/fine.yaml" $quick
expect_rc 0 "a fleet that keeps the limit: exit 0"
check "a fleet that keeps the limit: nothing to change" has fine "nothing to change"
check "a fleet that keeps the limit: nothing written" [ ! -e "$tmp/fine.yaml" ]
printf 'stagger: 1\nlinks: [\n' >"$tmp/bad.yaml"
run bad "$stagger" advise "$tmp/bad.yaml"
expect_rc 2 "a broken fleet: exit 2"
run badsched "$stagger" advise "$site" "$tmp/no-such.schedule.yaml"
expect_rc 2 "a missing schedule: exit 2"
run usage "$stagger" advise "$site" --max-changes 0
expect_rc 2 "--max-changes 0: exit 2"

echo "1..$n"
[ "$fails" -eq 0 ]
