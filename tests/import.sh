#!/bin/sh
# End-to-end tests of `stagger import` (docs/import.md), run from the
# repository root:
#
#   sh tests/import.sh build/cli/stagger
#
# Imports the examples of examples/dpm/ (one export UTF-8, the other
# UTF-16LE with CRLF), checks that the fleet passes `stagger validate`,
# that `stagger check` of it is DPM as configured (today's offsets at 0
# on the branch lines that the job history's failures point at), that
# the same inputs give the same bytes and that standard output gets them
# too.  Then the failures: a bad export, a bad sites file, a computer no
# site matches, two exports on other clocks, an unwritable -o: exit 2,
# the message names the file with its line and column, and the -o
# target is left as it was; and a fleet that breaks a rule of fleet.md
# (a sites file whose line is too thin): written, exit 1, the message
# against the written file.  Prints one TAP line per check; exits 1 when
# any failed.
#
# POSIX sh, coreutils, grep, sed; python3 for the edited exports.
stagger=${1:?usage: import.sh STAGGER}
case $stagger in /*) ;; *) stagger=$(pwd)/$stagger ;; esac

. "$(dirname "$0")/tap.sh"
tap_begin import

# STAGGER_WRAPPER (tests/wrap.sh): the program runs under it.
. "$(dirname "$0")/wrap.sh"
stagger=$(stg_wrap "$tmp" "$stagger")

paris=examples/dpm/dpm01-paris.json
lyon=examples/dpm/dpm02-lyon.json
sites=examples/dpm/sites.yaml

# ---- the examples ----------------------------------------------------------

run import "$stagger" import "$paris" "$lyon" --sites "$sites" -o "$tmp/fleet.yaml"
expect_rc 0 "import of the examples"
check "the fleet is written" test -s "$tmp/fleet.yaml"
check "the summary names both servers" grep -q "DPM02.lyon.contoso.local, 10 groups, 13 data sources, 1555 jobs over 7.0 days" "$tmp/import.err"
check "the summary counts the churn from the history" grep -q "churn: 35 from the job history" "$tmp/import.err"
check "a warning quotes the UTF-16 export's line" grep -q "^$lyon:349:5: warning: group SystemState is on another DPM server too" "$tmp/import.err"
run validate "$stagger" validate "$tmp/fleet.yaml"
expect_rc 0 "stagger validate reads the imported fleet"
check "validate: 9 links, 2 servers, 22 computers, 23 groups, 35 sources" grep -q "9 links, 2 servers, 22 computers, 23 groups, 35 sources" "$tmp/validate.out"
check "validate: no warning" test ! -s "$tmp/validate.err"
run check "$stagger" check "$tmp/fleet.yaml"
expect_rc 1 "check of today's settings finds the branch lines below the limit"
for l in lille-wan rennes-wan grenoble-wan marseille-wan; do
    check "check: $l is below the limit" grep -q "^$l .*below the limit" "$tmp/check.out"
done
for l in nantes-wan annecy-wan nice-wan paris-dc; do
    check "check: $l keeps the limit" sh -c "grep '^$l ' '$tmp/check.out' | grep -vq 'below the limit'"
done
# What the collection script writes (tests/data/collect/): a group that
# syncs just before each recovery point, whose recovery points are its
# express fulls (Hyper-V), imports as express fulls only.
run sample "$stagger" import tests/data/collect/sample-export.json --sites tests/data/collect/sample-sites.yaml -o "$tmp/sample.yaml"
expect_rc 0 "import of the collection script's sample export"
check "its Hyper-V sources are express_full_only" sh -c "grep -c 'kind: hyperv, .*express_full_only: true' '$tmp/sample.yaml' | grep -qx 2"
check "the group says why" grep -q "its recovery points are its express fulls" "$tmp/sample.yaml"
check "no other source is express_full_only" sh -c "test \$(grep -c 'express_full_only: true' '$tmp/sample.yaml') -eq 2"
run samplev "$stagger" validate "$tmp/sample.yaml"
expect_rc 0 "stagger validate reads it"
python3 -c '
import json, sys
e = json.load(sys.stdin)
for g in e["groups"]:
    if g["name"] == "HQ-HyperV":
        g["express_full"] = None
json.dump(e, sys.stdout)' < tests/data/collect/sample-export.json > "$tmp/no-points.json"
# What the script writes null (not read from DPM): DPM's defaults where
# it has them, each a warning and a "check:" comment; a check of unknown
# length is left out.
python3 -c '
import json, sys
e = json.load(sys.stdin)
g = {x["name"]: x for x in e["groups"]}
g["Branch2-Files"]["sync"]["offset_minutes"] = None
g["Branch2-Files"]["consistency_check"]["days"] = None
g["Branch2-SQL"]["sync"] = None
g["HQ-HyperV"]["consistency_check"]["hours"] = None
json.dump(e, sys.stdout, indent=1)' < tests/data/collect/sample-export.json > "$tmp/nulls.json"
run nulls "$stagger" import "$tmp/nulls.json" --sites tests/data/collect/sample-sites.yaml -o "$tmp/nulls.yaml"
expect_rc 0 "settings the script could not read are assumed, not refused"
check "an unknown offset: 0 assumed" grep -q "group Branch2-Files: its sync offset is not in the export: 0 (DPM's default) is assumed" "$tmp/nulls.err"
check "unknown check days: daily assumed" grep -q "group Branch2-Files: the days of its consistency check are not in the export: daily" "$tmp/nulls.err"
check "an unknown sync: every 15 minutes assumed" grep -q "group Branch2-SQL: its sync is not in the export: DPM's default, every 15 minutes at offset 0, is assumed" "$tmp/nulls.err"
check "a check of unknown length: left out" grep -q "group HQ-HyperV: its consistency check starts at 23:00, but its length is not in the export: it is left out of the fleet" "$tmp/nulls.err"
check "the fleet says so" grep -q "# check: sync not in the export: DPM's default assumed" "$tmp/nulls.yaml"
run nullsv "$stagger" validate "$tmp/nulls.yaml"
expect_rc 0 "stagger validate reads it"

run nopoints "$stagger" import "$tmp/no-points.json" --sites tests/data/collect/sample-sites.yaml -o "$tmp/keep.yaml"
expect_rc 2 "a sync before recovery points with neither recovery points nor express fulls"
check "the message says what it needs" grep -q "a sync before each recovery point needs recovery_points or express fulls" "$tmp/nopoints.err"

run again "$stagger" import "$paris" "$lyon" --sites "$sites"
expect_rc 0 "import to standard output"
check "standard output gets the same bytes" cmp -s "$tmp/again.out" "$tmp/fleet.yaml"

# ---- bad input: exit 2, nothing written ------------------------------------

echo "keep me" > "$tmp/keep.yaml"
untouched() {   # $1: what was run
    check "$1: the -o target is left as it was" sh -c "[ \"\$(cat '$tmp/keep.yaml')\" = 'keep me' ]"
    check "$1: no temporary left" sh -c "! ls -a '$tmp' | grep -q '^\.keep\.yaml\.tmp'"
}

sed 's/"every_minutes": 120/"every_minutes": 100/' "$paris" > "$tmp/bad.json"
run bad "$stagger" import "$tmp/bad.json" --sites "$sites" -o "$tmp/keep.yaml"
expect_rc 2 "an export with a bad sync frequency"
check "the message names the export, line and column" grep -q "^$tmp/bad.json:60:26: every_minutes 100 is not a DPM sync frequency; DPM syncs every 15, 30, 60, 120, 240, 360, 720 or 1440 minutes" "$tmp/bad.err"
check "the line is quoted with a caret" grep -q '^ *| *\^$' "$tmp/bad.err"
untouched "bad export"

sed 's/capacity: 20Mbps/capacity: 20/' "$sites" > "$tmp/bad-sites.yaml"
run badsites "$stagger" import "$paris" --sites "$tmp/bad-sites.yaml" -o "$tmp/keep.yaml"
expect_rc 2 "a sites file with a capacity without unit"
check "the message names the sites file" grep -q "^$tmp/bad-sites.yaml:[0-9]*:15: capacity \"20\" has no unit" "$tmp/badsites.err"
untouched "bad sites file"

grep -v '{ name: nantes,' "$sites" > "$tmp/no-nantes.yaml"
run nosite "$stagger" import "$paris" --sites "$tmp/no-nantes.yaml" -o "$tmp/keep.yaml"
expect_rc 2 "a computer no site matches"
check "the message names the computer and the sites file" grep -q "^$paris:[0-9]*:[0-9]*: computer FS01.nantes.contoso.local matches no site of $tmp/no-nantes.yaml; add a pattern that matches it" "$tmp/nosite.err"
untouched "computer without a site"

sed 's/"utc_offset": "+01:00"/"utc_offset": "-05:00"/' "$paris" > "$tmp/ny.json"
run clocks "$stagger" import "$lyon" "$tmp/ny.json" --sites "$sites" -o "$tmp/keep.yaml"
expect_rc 2 "two exports on other clocks"
check "the message is at the second export's utc_offset" grep -q "^$tmp/ny.json:4:17: DPM server DPM01.paris.contoso.local is -5.00 hours from UTC, and DPM02.lyon.contoso.local ($lyon) +1.00" "$tmp/clocks.err"
untouched "other clocks"

run twice "$stagger" import "$paris" "$paris" --sites "$sites" -o "$tmp/keep.yaml"
expect_rc 2 "the same export twice"
check "the message says the server is exported twice" grep -q "DPM server DPM01.paris.contoso.local is exported in $paris too" "$tmp/twice.err"
untouched "the same export twice"

run missing "$stagger" import "$tmp/nothing.json" -o "$tmp/keep.yaml"
expect_rc 2 "an export that is not there"
check "the message names it" grep -q "^$tmp/nothing.json: cannot read: No such file or directory" "$tmp/missing.err"
untouched "missing export"

run noargs "$stagger" import
expect_rc 2 "no export at all"
check "the usage error says what is expected" grep -q "expects one or more DPM export files" "$tmp/noargs.err"

run nodir "$stagger" import "$paris" --sites "$sites" -o "$tmp/no/such/dir/fleet.yaml"
expect_rc 2 "an -o in a folder that is not there"

# ---- a fleet that breaks a rule: written, exit 1 ---------------------------

run nosites "$stagger" import "$paris" -o "$tmp/nolinks.yaml"
expect_rc 1 "without a sites file: written, and refused for its missing links"
check "the fleet without links is written" grep -q '^links: \[\]' "$tmp/nolinks.yaml"
check "the warning says there is no sites file" grep -q "warning: no sites file: the fleet has no links" "$tmp/nosites.err"

sed 's/capacity: 50Mbps/capacity: 1Mbps/; s/rate: 20Mbps/rate: 0.5Mbps/' "$sites" > "$tmp/thin.yaml"
run thin "$stagger" import "$paris" --sites "$tmp/thin.yaml" -o "$tmp/thin-fleet.yaml"
expect_rc 1 "a line too thin for its syncs"
check "the fleet is written all the same" test -s "$tmp/thin-fleet.yaml"
check "the message is against the written fleet" grep -q "^$tmp/thin-fleet.yaml:[0-9]*:[0-9]*: group Lille-" "$tmp/thin.err"
check "DPM's throttle above the line is capped, with a warning" grep -q "DPM's work throttle of 20.48Mbps is above the 1Mbps of link lille-wan" "$tmp/thin.err"
check "the import says the fleet breaks a rule" grep -q "is written, and breaks the rules of a fleet above" "$tmp/thin.err"

echo "1..$n"
[ "$fails" -eq 0 ]
