#!/bin/sh
# End-to-end tests of `stagger whatif` (docs/scenarios.md), run from the
# repository root:
#
#   sh tests/whatif.sh build/cli/stagger build/tests/stagger-verify
#
# On examples/company.yaml with examples/company-scenarios.yaml: one row
# per scenario after the baseline, in the file's order; exit 1 because one
# scenario breaks the limit; the three formats (JSON through python3's
# json.tool when there is a python3); --jobs 1 and --jobs 2 give the same
# output but for the solve seconds; -o writes the same bytes; every
# schedule --save-dir writes is accepted by the independent checker.  Then
# exit 0 and 2: every scenario within the limit, bad scenarios (nothing
# planned, nothing written, messages at the scenario file's lines) and bad
# usage.  Prints one TAP line per check; exits 1 when any failed.
#
# POSIX sh and coreutils only (python3 optional).
stagger=${1:?usage: whatif.sh STAGGER STAGGER-VERIFY}
verify=${2:?usage: whatif.sh STAGGER STAGGER-VERIFY}
limit=${E2E_TIME_LIMIT:-20s}
fleet=examples/company.yaml
scen=examples/company-scenarios.yaml

. "$(dirname "$0")/tap.sh"
tap_begin whatif

# check DESCRIPTION CMD...: ok when CMD succeeds.
# The scenario names of the file, in order.
names=$(sed -n 's/^  - name: *\([^ #]*\).*/\1/p' "$scen")
nscen=$(echo "$names" | wc -l)

# ---- the table -----------------------------------------------------------

run table "$stagger" whatif "$fleet" "$scen" --time-limit "$limit"
expect_rc 1 "company: exit 1 (a scenario breaks the limit)"
check "company: a header, the baseline and one row per scenario" \
    [ "$(wc -l <"$tmp/table.out")" -eq $((nscen + 2)) ]
got=$(awk 'NR > 1 { print $1 }' "$tmp/table.out")
want=$(printf 'baseline\n%s\n' "$names")
if [ "$got" = "$want" ]; then
    ok "company: rows in the file's order, the baseline first"
else
    not_ok "company: rows in the file's order, the baseline first"
    show "$tmp/table.out"
fi
check "company: nothing on stderr" [ ! -s "$tmp/table.err" ]
if grep -q '^cph-traffic  *violates .*1: cph-wan' "$tmp/table.out"; then
    ok "company: cph-traffic violates, cph-wan below the limit"
else
    not_ok "company: cph-traffic violates, cph-wan below the limit"
    show "$tmp/table.out"
fi
if grep -q '^baseline  *optimal ' "$tmp/table.out" &&
    [ "$(grep -c ' violates ' "$tmp/table.out")" -eq 1 ]; then
    ok "company: the baseline is optimal, one row violates"
else
    not_ok "company: the baseline is optimal, one row violates"
    show "$tmp/table.out"
fi

# ---- CSV and JSON --------------------------------------------------------

run csv "$stagger" whatif "$fleet" "$scen" --time-limit "$limit" --format csv
expect_rc 1 "csv: exit 1"
check "csv: header and one line per row" \
    [ "$(wc -l <"$tmp/csv.out")" -eq $((nscen + 2)) ]
check "csv: the header" \
    [ "$(head -n 1 "$tmp/csv.out")" = "scenario,status,required,headroom,link,at,bound,below_count,below,moved_count,moved,seconds" ]
check "csv: every line has 12 fields" \
    [ "$(awk -F, 'NF != 12' "$tmp/csv.out" | wc -l)" -eq 0 ]

run json "$stagger" whatif "$fleet" "$scen" --time-limit "$limit" --format json
expect_rc 1 "json: exit 1"
if command -v python3 >/dev/null 2>&1; then
    if python3 -m json.tool "$tmp/json.out" >"$tmp/json.pretty" 2>&1; then
        ok "json: python3 -m json.tool reads it"
    else
        not_ok "json: python3 -m json.tool reads it"
        show "$tmp/json.pretty"
    fi
    rows=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["rows"]), d["rows"][0]["name"], d["rows"][-1]["name"], sum(r["status"] == "violates" for r in d["rows"]))' "$tmp/json.out" 2>&1)
    check "json: rows, first and last names, one violation ($rows)" \
        [ "$rows" = "$((nscen + 1)) baseline $(echo "$names" | tail -n 1) 1" ]
else
    ok "json: python3 -m json.tool reads it # SKIP no python3"
    ok "json: rows # SKIP no python3"
fi

# ---- --jobs does not change the output -----------------------------------

# The output without the solve seconds (the last column of the table and
# of the CSV, the "seconds" lines of the JSON).
strip_seconds() {
    case $2 in
    table) sed 's/  *[0-9][0-9.]*$//' "$1" ;;
    csv) sed 's/,[^,]*$//' "$1" ;;
    json) grep -v '"seconds": ' "$1" ;;
    esac
}

limited=0
grep -q '"time_limit_reached": true' "$tmp/json.out" && limited=1
for fmt in table csv json; do
    run jobs2-$fmt "$stagger" whatif "$fleet" "$scen" --time-limit "$limit" \
        --format $fmt --jobs 2
    strip_seconds "$tmp/$fmt.out" $fmt >"$tmp/a.$fmt"
    strip_seconds "$tmp/jobs2-$fmt.out" $fmt >"$tmp/b.$fmt"
    if [ "$limited" -eq 1 ]; then
        ok "$fmt: --jobs 2 gives the output of --jobs 1 # SKIP a plan reached the time limit"
    elif [ "$rc" -eq 1 ] && cmp -s "$tmp/a.$fmt" "$tmp/b.$fmt"; then
        ok "$fmt: --jobs 2 gives the output of --jobs 1 (but the seconds)"
    else
        not_ok "$fmt: --jobs 2 gives the output of --jobs 1 (exit $rc)"
        diff "$tmp/a.$fmt" "$tmp/b.$fmt" | head -n 10 | sed 's/^/#   /'
    fi
done
check "the seconds column is there to strip" \
    [ "$(awk 'NR > 1 && $NF !~ /^[0-9]+\.[0-9][0-9]$/' "$tmp/table.out" | wc -l)" -eq 0 ]

# -o: the same output in a file, stdout empty
run outfile "$stagger" whatif "$fleet" "$scen" --time-limit "$limit" \
    --format csv -o "$tmp/rows.csv" --jobs 2
expect_rc 1 "-o: exit 1"
strip_seconds "$tmp/rows.csv" csv >"$tmp/c.csv"
if [ "$limited" -eq 1 ]; then
    ok "-o: the file holds the rows # SKIP a plan reached the time limit"
elif [ ! -s "$tmp/outfile.out" ] && cmp -s "$tmp/a.csv" "$tmp/c.csv"; then
    ok "-o: the file holds the rows, standard output nothing"
else
    not_ok "-o: the file holds the rows, standard output nothing"
    show "$tmp/outfile.out"
fi

# ---- every schedule checked ----------------------------------------------

run save "$stagger" whatif "$fleet" "$scen" --time-limit "$limit" --jobs 2 \
    --save-dir "$tmp/save"
expect_rc 1 "--save-dir: exit 1"
check "--save-dir: a folder not there yet is made" [ -d "$tmp/save" ]
check "--save-dir: the baseline's schedule" [ -s "$tmp/save/baseline.schedule.yaml" ]
run verify-baseline "$verify" "$fleet" "$tmp/save/baseline.schedule.yaml"
expect_rc 0 "--save-dir: stagger-verify accepts the baseline's schedule"
for s in $names; do
    if [ ! -s "$tmp/save/$s.schedule.yaml" ] || [ ! -s "$tmp/save/$s.fleet.yaml" ]; then
        not_ok "--save-dir: $s: a schedule and a fleet"
        continue
    fi
    # stagger-verify: the schedule's claims (status, headroom, violations)
    # hold; stagger check: the verdict of the row
    run verify-$s "$verify" "$tmp/save/$s.fleet.yaml" "$tmp/save/$s.schedule.yaml"
    expect_rc 0 "--save-dir: $s: stagger-verify accepts the schedule"
    want=0
    [ "$s" = cph-traffic ] && want=1
    run check-$s "$stagger" check "$tmp/save/$s.fleet.yaml" "$tmp/save/$s.schedule.yaml"
    expect_rc $want "--save-dir: $s: stagger check agrees with the row"
done
if grep -q 'capacity: 50Mbps' "$tmp/save/osl-50.fleet.yaml" &&
    grep -q 'tll-fs01' "$tmp/save/tallinn.fleet.yaml"; then
    ok "--save-dir: the scenarios' fleets carry their changes"
else
    not_ok "--save-dir: the scenarios' fleets carry their changes"
fi
leftovers=$(ls -A "$tmp/save" | grep -c '\.tmp\.')
check "--save-dir: no temporary file left" [ "$leftovers" -eq 0 ]

# ---- rows differ only where a change reaches ------------------------------

# Two clinic changes in the hospital group: the worst link (a hospital's)
# and its numbers stay the baseline's, and no group moves but the
# changed clinic's.
cat >"$tmp/hosp.yaml" <<'EOF'
stagger-scenarios: 1
scenarios:
  - name: cl3-churn
    scale: { churn: 2x, link: cl3-wan }
  - name: cl5-40
    set: { links.cl5-wan.capacity: 40Mbps }
EOF
run hosp "$stagger" whatif examples/hospital.yaml "$tmp/hosp.yaml" \
    --time-limit "$limit" --format csv
expect_rc 1 "hospital clinics: exit 1 (the baseline breaks the limit)"
odd=$(awk -F, 'NR == 2 { base = $4 "," $5 "," $6 "," $7 }
    NR > 2 && ($4 "," $5 "," $6 "," $7 != base) { print "worst link: " $0 }
    $1 == "cl3-churn" && $11 != "" && $11 != "Clinic3-Files" { print "moved: " $0 }
    $1 == "cl5-40" && $11 != "" && $11 != "Clinic5-Files" { print "moved: " $0 }' \
    "$tmp/hosp.out")
if [ -z "$odd" ] && [ "$(wc -l <"$tmp/hosp.out")" -eq 4 ]; then
    ok "hospital clinics: rows differ from the baseline only where the change reaches"
else
    not_ok "hospital clinics: rows differ from the baseline only where the change reaches"
    show "$tmp/hosp.out"
fi

# ---- exit 0: every scenario within the limit ------------------------------

cat >"$tmp/good.yaml" <<'EOF'
stagger-scenarios: 1
scenarios:
  - name: osl-50
    set: { links.osl-wan.capacity: 50Mbps }
  - name: growth-10
    scale: { size: 110% }
EOF
run good "$stagger" whatif "$fleet" "$tmp/good.yaml" --time-limit "$limit" --jobs 2
expect_rc 0 "every scenario within the limit: exit 0"
check "every scenario within the limit: three rows" \
    [ "$(wc -l <"$tmp/good.out")" -eq 4 ]

# ---- exit 2: bad scenarios, bad usage --------------------------------------

cat >"$tmp/bad.yaml" <<'EOF'
stagger-scenarios: 1
scenarios:
  - name: fine
    set: { headroom: 20% }
  - name: typo
    set:
      links.osl-wn.capacity: 50Mbps
  - name: unitless
    set:
      links.osl-wan.capacity: 50
  - name: gone
    remove: { links: [osl-wan] }
EOF
run bad "$stagger" whatif "$fleet" "$tmp/bad.yaml" --time-limit "$limit" \
    -o "$tmp/never.txt" --save-dir "$tmp/save"
expect_rc 2 "bad scenarios: exit 2"
check "bad scenarios: nothing written" [ ! -e "$tmp/never.txt" ]
check "bad scenarios: nothing on standard output" [ ! -s "$tmp/bad.out" ]
if grep -q "bad.yaml:7:13: scenario typo: .*did you mean \"osl-wan\"" "$tmp/bad.err" &&
    grep -q "bad.yaml:10:31: scenario unitless: capacity \"50\" has no unit" "$tmp/bad.err" &&
    grep -q "company.yaml:[0-9]*:[0-9]*: scenario gone: no link named \"osl-wan\"" "$tmp/bad.err"; then
    ok "bad scenarios: every error, at the line of the file it is about"
else
    not_ok "bad scenarios: every error, at the line of the file it is about"
    show "$tmp/bad.err"
fi
if grep -q '^ *10 |       links.osl-wan.capacity: 50$' "$tmp/bad.err"; then
    ok "bad scenarios: the line is quoted"
else
    not_ok "bad scenarios: the line is quoted"
    show "$tmp/bad.err"
fi

run no-scen "$stagger" whatif "$fleet" "$tmp/no-such-file.yaml"
expect_rc 2 "a missing scenarios file: exit 2"
run bad-fleet "$stagger" whatif "$tmp/no-such-fleet.yaml" "$scen"
expect_rc 2 "a missing fleet file: exit 2"
run one-arg "$stagger" whatif "$fleet"
expect_rc 2 "one file only: exit 2"
run jobs0 "$stagger" whatif "$fleet" "$scen" --jobs 0
expect_rc 2 "--jobs 0: exit 2"
run badfmt "$stagger" whatif "$fleet" "$scen" --format xml
expect_rc 2 "--format xml: exit 2"
run nodir "$stagger" whatif "$fleet" "$scen" --save-dir "$tmp/no-such-dir/save"
expect_rc 2 "--save-dir in a folder that is not there: exit 2"
check "... and nothing made" [ ! -e "$tmp/no-such-dir" ]
: >"$tmp/plain-file"
run notdir "$stagger" whatif "$fleet" "$scen" --save-dir "$tmp/plain-file"
expect_rc 2 "--save-dir that is a file: exit 2"
run help "$stagger" whatif --help
expect_rc 0 "whatif --help"

echo "1..$n"
if [ "$fails" -ne 0 ]; then
    echo "# $fails of $n checks failed"
    exit 1
fi
exit 0
