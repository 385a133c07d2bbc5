#!/bin/sh
# End-to-end tests of `stagger diagnose` and of `stagger export --jobs`
# (docs/diagnose.md), run from the repository root:
#
#   sh tests/diagnose.sh build/cli/stagger
#
# The hand-computed case (tests/data/diagnose/fleet.yaml says which
# minutes are below the limit): the whole table, every count, chance,
# p and verdict, exactly; the failures listed at their place on the
# fleet's clock (the history's is an hour ahead); the same in a week
# cycle; two histories; a history of successes only; JSON; a schedule's
# settings instead of today's; bad histories (a located error with the
# file's name, exit 2, the -o target untouched); the report's marks.
# Prints one TAP line per check; exits 1 when any failed.
#
# POSIX sh, coreutils, grep, sed; python3 when there.
stagger=${1:?usage: diagnose.sh STAGGER}
case $stagger in /*) ;; *) stagger=$(pwd)/$stagger ;; esac

. "$(dirname "$0")/tap.sh"
tap_begin diagnose

. "$(dirname "$0")/wrap.sh"
stagger=$(stg_wrap "$tmp" "$stagger")

data=tests/data/diagnose
fleet=$data/fleet.yaml

same() {    # DESC FILE: FILE's lines equal standard input's
    cat > "$tmp/want"
    if cmp -s "$tmp/want" "$2"; then
        ok "$1"
    else
        not_ok "$1"
        diff "$tmp/want" "$2" | sed 's/^/#   /' | head -n 30
    fi
}

# ---- the hand-computed case ------------------------------------------------

run hand "$stagger" diagnose "$fleet" --jobs $data/history.json --list
expect_rc 1 "saturation explains the failures on wan: exit 1"
same "hand-computed table" "$tmp/hand.out" <<'EOF'
tests/data/diagnose/fleet.yaml: today's settings (offsets and times as configured)
history: 1 file, 13 jobs starting 2026-11-27 11:05 to 2026-11-29 16:06 (the fleet's clock, UTC+00:00), 12 failed
placed: 10 failed jobs of the fleet's computers, each at its start, on the day cycle
chance: the share of time below (fewer than 20 succeeded jobs of a computer in the history)
not in the fleet: 1 failed job of 1 computer: ws07.contoso.local (1)
without a computer: 1 failed job

link  cycle below  failures  below  chance       p  verdict
wan         10.0%        10      6    1.00  <0.001  saturation explains these
core         0.0%        10      0    0.00   1.000  saturation does not explain these

error  failures  below  chance       p  verdict                            meaning (KB 971411)
308           6      4    0.60   0.001  saturation explains these          the protection agent service could not be reached (RPC server unavailable)
52            4      2    0.40   0.052  too few to tell                    the connection to the protection agent broke or timed out
all          10      6    1.00  <0.001  saturation explains these

failures by time in the cycle (when: the fleet's clock):
  08:02  2026-11-29 08:02  fs01.branch1.contoso.local  ID 308  below on wan
  08:30  2026-11-29 08:30  fs01.branch1.contoso.local  ID 308
  09:03  2026-11-29 09:03  fs01.branch1.contoso.local  ID 308  below on wan
  10:00  2026-11-28 10:00  fs01.branch1.contoso.local  ID 308  below on wan
  11:05  2026-11-27 11:05  fs01.branch1.contoso.local  ID 308  below on wan
  12:01  2026-11-29 12:01  fs01.branch1.contoso.local  ID 52   below on wan
  13:04  2026-11-29 13:04  fs01.branch1.contoso.local  ID 52   below on wan
  14:20  2026-11-29 14:20  fs01.branch1.contoso.local  ID 308
  15:45  2026-11-29 15:45  fs01.branch1.contoso.local  ID 52
  16:06  2026-11-29 16:06  fs01.branch1.contoso.local  ID 52
EOF
check "nothing on standard error" test ! -s "$tmp/hand.err"

# -o: the same text, written whole
run out "$stagger" diagnose "$fleet" --jobs $data/history.json --list -o "$tmp/out.txt"
expect_rc 1 "-o: exit 1"
check "-o holds what standard output had" cmp -s "$tmp/out.txt" "$tmp/hand.out"

# the fleet on the servers' clock: each failure an hour later in the cycle
sed 's/^headroom: 15%/headroom: 15%\nutc_offset: "+01:00"/' "$fleet" > "$tmp/fleet-utc1.yaml"
run utc1 "$stagger" diagnose "$tmp/fleet-utc1.yaml" --jobs $data/history.json --list
check "fleet at UTC+01:00: 09:02 is below (minute 2)" \
    grep -q '^  09:02  2026-11-29 09:02  fs01.branch1.contoso.local  ID 308  below on wan$' "$tmp/utc1.out"
check "fleet at UTC+01:00: its clock named" grep -q '(the fleet.s clock, UTC+01:00)' "$tmp/utc1.out"

# a week cycle: the same minutes, now each on its day
sed 's/^headroom: 15%/headroom: 15%\ncycle: week/' "$fleet" > "$tmp/fleet-week.yaml"
run week "$stagger" diagnose "$tmp/fleet-week.yaml" --jobs $data/history.json --list
expect_rc 1 "week cycle: exit 1"
check "week cycle: placed on the week" grep -q 'each at its start, on the week cycle' "$tmp/week.out"
check "week cycle: Sunday 2026-11-29 08:02" \
    grep -q '^  sun 08:02  2026-11-29 08:02  fs01.branch1.contoso.local  ID 308  below on wan$' "$tmp/week.out"
check "week cycle: Friday 2026-11-27 11:05 first" \
    grep -A1 'failures by time' "$tmp/week.out" | grep -q '^  fri 11:05  2026-11-27'
check "week cycle: the same counts" \
    grep -q '^wan         10.0%        10      6    1.00  <0.001  saturation explains these$' "$tmp/week.out"

# two histories: counts add up
run two "$stagger" diagnose "$fleet" --jobs $data/history.json --jobs $data/successes.json
expect_rc 1 "two histories: exit 1"
check "two histories: files and jobs added up" \
    grep -q '^history: 2 files, 15 jobs starting .*, 12 failed$' "$tmp/two.out"

# only successes: nothing to place, exit 0
run none "$stagger" diagnose "$fleet" --jobs $data/successes.json
expect_rc 0 "only successes: exit 0"
same "only successes: said so" "$tmp/none.out" <<'EOF'
tests/data/diagnose/fleet.yaml: today's settings (offsets and times as configured)
history: 1 file, 2 jobs starting 2026-11-29 08:00 to 2026-11-29 09:00 (the fleet's clock, UTC+00:00), 0 failed
no failed jobs: nothing to place
EOF

# none of the history's computers in the fleet: counted and named, exit 0
run strangers "$stagger" diagnose "$fleet" --jobs examples/dpm-diagnose/dpm01-jobs.json
expect_rc 0 "no computer of the fleet: exit 0"
check "no computer of the fleet: all named" \
    grep -q '^not in the fleet: 19 failed jobs of 5 computers: FS01.branch.contoso.local (6), MAIL01.branch.contoso.local (4), SQL01.branch.contoso.local (4), SP01.branch.contoso.local (3), WS07.branch.contoso.local (2)$' "$tmp/strangers.out"
check "no computer of the fleet: nothing placed" \
    grep -q "^no failed job of the fleet's computers: nothing to place$" "$tmp/strangers.out"

# JSON
run json "$stagger" diagnose "$fleet" --jobs $data/history.json --format json
expect_rc 1 "json: exit 1"
if command -v python3 >/dev/null 2>&1; then
    check "json: the counts, the chance and the stranger" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
wan, core = d["links"]
assert (wan["name"], wan["failures"], wan["below"], wan["verdict"]) == ("wan", 10, 6, "explains"), wan
assert abs(wan["chance"] - 1) < 1e-12 and abs(wan["p"] - 1.469026e-4) < 1e-9, wan
assert abs(wan["below_share"] - 0.1) < 1e-12
assert (core["below"], core["verdict"]) == (0, "does_not"), core
ids = {e["id"]: e for e in d["error_ids"]}
assert ids[308]["below"] == 4 and ids[52]["verdict"] == "too_few", ids
assert d["computers_not_in_fleet"] == [{"name": "ws07.contoso.local", "failures": 1, "ambiguous": False}]
assert (d["jobs"], d["failed"], d["placed"], d["without_computer"]) == (13, 12, 10, 1)
f = d["failures"][0]
assert (f["when"], f["at"], f["below"], f["links_below"]) == ("2026-11-29T08:02:30", "08:02", True, ["wan"]), f
assert d["histories"][0]["utc_offset"] == "+01:00"
' "$tmp/json.out"
else
    skip "json: the counts" "no python3"
fi

# ---- a schedule's settings ----------------------------------------------------

ex=examples/branch-office.yaml hist=examples/dpm-diagnose/dpm01-jobs.json
# Every job of the branch starts in a minute its line is full (its four
# servers all sync at minute 0, the express fulls at 20:00): the
# failures' starts cannot tell saturation from any other cause.
run today "$stagger" diagnose $ex --jobs $hist
expect_rc 0 "branch office today: timing cannot tell (exit 0)"
check "branch office today: the line's verdict" \
    grep -q '^branch-wan         6.9%        17      9   17.00   1.000  timing cannot tell$' "$tmp/today.out"
run plan "$stagger" plan $ex -o "$tmp/plan.yaml" --time-limit 10s
expect_rc 0 "branch office planned"
run planned "$stagger" diagnose $ex --jobs $hist "$tmp/plan.yaml"
check "with SCHEDULE: its settings" grep -q "plan.yaml: the schedule's settings" "$tmp/planned.out"
check "with SCHEDULE: no link below the limit, so no failure below" \
    grep -q '^branch-wan         0.0%        17      0    0.00   1.000  saturation does not explain these$' "$tmp/planned.out"
expect_rc 0 "with SCHEDULE: exit 0"

# ---- bad input ------------------------------------------------------------------

echo keep > "$tmp/keep.txt"
for bad in bad-type bad-truncated; do
    run $bad "$stagger" diagnose "$fleet" --jobs $data/history.json --jobs $data/$bad.json -o "$tmp/keep.txt"
    expect_rc 2 "$bad: exit 2"
    check "$bad: located with the file's name" \
        grep -qE "^tests/data/diagnose/$bad.json:[0-9]+:[0-9]+: " "$tmp/$bad.err"
    check "$bad: the line quoted, a caret" grep -qE '^ +\| +\^' "$tmp/$bad.err"
    check "$bad: -o untouched" grep -qx keep "$tmp/keep.txt"
    check "$bad: nothing on standard output" test ! -s "$tmp/$bad.out"
done
run missing "$stagger" diagnose "$fleet" --jobs "$tmp/nothing.json"
expect_rc 2 "a missing history: exit 2"
check "a missing history: named" grep -q "nothing.json" "$tmp/missing.err"
run nojobs "$stagger" diagnose "$fleet"
expect_rc 2 "no --jobs: exit 2"
check "no --jobs: said" grep -q "needs --jobs HISTORY" "$tmp/nojobs.err"
run badfleet "$stagger" diagnose $data/history.json --jobs $data/history.json
expect_rc 2 "a history given as the fleet: exit 2"

# ---- the report's marks -------------------------------------------------------

run html "$stagger" export "$tmp/plan.yaml" --to html --jobs $hist -o "$tmp/report.html"
expect_rc 0 "export --to html --jobs: exit 0"
check "report: one mark per slot and link (17 failures in 17 minutes, 2 links)" \
    test "$(grep -c 'class="failure"' "$tmp/report.html")" -eq 34
check "report: a mark's tooltip" \
    grep -q '<title>1 failed job at 09:01&#10;2026-11-23 09:01 mail01.branch.contoso.local, ID 308</title>' "$tmp/report.html"
check "report: self-contained" sh -c "! grep -qE '<script|<link|<img|url\\(' '$tmp/report.html'"
if command -v xmllint >/dev/null 2>&1; then
    check "report: well-formed" xmllint --noout "$tmp/report.html"
else
    skip "report: well-formed" "no xmllint"
fi
run plainhtml "$stagger" export "$tmp/plan.yaml" --to html -o "$tmp/plain.html"
check "report without --jobs: no marks" sh -c "! grep -q 'class=\"failure' '$tmp/plain.html'"
run csvjobs "$stagger" export "$tmp/plan.yaml" --to csv --jobs $hist
expect_rc 2 "export --to csv --jobs: exit 2"
run badhtml "$stagger" export "$tmp/plan.yaml" --to html --jobs $data/bad-type.json -o "$tmp/keep.txt"
expect_rc 2 "export with a bad history: exit 2"
check "export with a bad history: located" \
    grep -qE '^tests/data/diagnose/bad-type.json:[0-9]+:[0-9]+: ' "$tmp/badhtml.err"
check "export with a bad history: -o untouched" grep -qx keep "$tmp/keep.txt"

echo "1..$n"
[ "$fails" -eq 0 ]
