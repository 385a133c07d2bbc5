#!/bin/sh
# End-to-end tests of `stagger export` (docs/export.md), run from the
# repository root:
#
#   sh tests/export.sh build/cli/stagger
#
# Plans the examples, exports each schedule to every format the program
# lists, and checks each output: the CSV's header and job numbers, the
# JSON with python3 -m json.tool, the iCalendar's line lengths and CRLF
# (and, when python3's icalendar module is installed, a full parse), the
# PowerShell script against a whitelist of the cmdlets and parameters it
# may use (any other fails) and every group of the plan exactly once.
# Then the failures: a missing fleet, a changed fleet, a bad --to, a bad
# schedule, an unwritable -o: exit 2 and the -o target left untouched.
# Prints one TAP line per check; exits 1 when any failed.
#
# POSIX sh, coreutils, grep, sed, awk; python3 when there.
stagger=${1:?usage: export.sh STAGGER}
case $stagger in /*) ;; *) stagger=$(pwd)/$stagger ;; esac

. "$(dirname "$0")/tap.sh"
tap_begin export

have_python=no
command -v python3 >/dev/null 2>&1 && have_python=yes
# the iCalendar reader: Debian's python3-icalendar, for whichever python3
# has it (the one on PATH, or Debian's own)
have_icalendar=no icpy=python3
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import icalendar' 2>/dev/null; then
        have_icalendar=yes icpy=$py
        break
    fi
done

# The formats the program offers (from its usage line).
formats=$("$stagger" export --help | sed -n 's/.*--to \([a-z0-9|]*\).*/\1/p' | head -n 1 | tr '|' ' ')
for f in csv ps1 ics json; do
    case " $formats " in
    *" $f "*) ok "export offers $f" ;;
    *) not_ok "export offers $f (usage lists: $formats)" ;;
    esac
done

# ---- the PowerShell whitelist ---------------------------------------------

# Parameters each cmdlet may be given (the DPM Management Shell's own
# names), and the operators the script may use.
allowed_params() {
    case $1 in
    Get-DPMProtectionGroup) echo DPMServerName ;;
    Get-DPMModifiableProtectionGroup) echo ProtectionGroup ;;
    Get-DPMPolicySchedule) echo ProtectionGroup ShortTerm ;;
    Set-DPMPolicySchedule) echo ProtectionGroup OffsetInMinutes Schedule DaysOfWeek TimesOfDay ;;
    Set-DPMConsistencyCheckWindow) echo ProtectionGroup DaysOfWeek StartTime DurationInHours ;;
    Set-DPMProtectionJobStartTime) echo ProtectionGroup JobType StartTime MaximumDurationInHours ;;
    Set-DPMProtectionGroup) echo ProtectionGroup ;;
    Set-DPMPerformanceOptimization) echo ProtectionGroup EnableCompression ;;
    Where-Object | Write-Output | Write-Warning) echo ;;
    *) echo NOT-ALLOWED ;;
    esac
}
operators="eq ne gt lt ge le not and or join f contains notcontains"

# check_ps1 FILE SCHEDULE: prints what is wrong; empty when all is well
check_ps1() {
    # code only: no byte order mark, no comments, no string literals
    sed '1s/^\xef\xbb\xbf//' "$1" | grep -v '^[[:space:]]*#' |
        sed "s/'[^']*'//g" >"$tmp/code.ps1"
    lineno=0
    while IFS= read -r line; do
        lineno=$((lineno + 1))
        cmdlets=$(printf '%s\n' "$line" | grep -oE '[A-Z][a-z]+-[A-Z][A-Za-z]+' || true)
        allowed=$operators
        for c in $cmdlets; do
            p=$(allowed_params "$c")
            if [ "$p" = NOT-ALLOWED ]; then
                echo "line $lineno: cmdlet $c is not on the whitelist"
            fi
            allowed="$allowed $p"
        done
        for p in $(printf '%s\n' "$line" | grep -oE '(^|[[:space:](])-[A-Za-z]+' |
                   sed 's/^[[:space:](]*-//'); do
            case " $allowed " in
            *" $p "*) ;;
            *) echo "line $lineno: parameter or operator -$p is not allowed here: $line" ;;
            esac
        done
    done <"$tmp/code.ps1"
    # every group of the plan exactly once
    sed -n '/^groups:/,/^computers:/s/^  - name: //p' "$2" | tr -d "'" >"$tmp/groups"
    [ -s "$tmp/groups" ] || echo "no groups found in $2"
    while IFS= read -r g; do
        k=$(grep -cxF "        Name = '$g'" "$1")
        [ "$k" -eq 1 ] || echo "group $g appears $k times"
    done <"$tmp/groups"
    k=$(grep -c '^        Name = ' "$1")
    [ "$k" -eq "$(wc -l <"$tmp/groups")" ] || echo "$k entries for $(wc -l <"$tmp/groups") groups"
    for c in Get-DPMProtectionGroup Get-DPMModifiableProtectionGroup \
             Set-DPMPolicySchedule Set-DPMConsistencyCheckWindow \
             Set-DPMProtectionJobStartTime Set-DPMProtectionGroup; do
        grep -q "$c " "$tmp/code.ps1" || echo "$c is never called"
    done
    head -c 3 "$1" | od -An -tx1 | grep -q 'ef bb bf' || echo "no UTF-8 byte order mark"
    grep -q '^\[CmdletBinding(SupportsShouldProcess = \$true)\]$' "$1" ||
        echo "no CmdletBinding(SupportsShouldProcess)"
    grep -q '\$PSCmdlet.ShouldProcess(' "$1" || echo "no ShouldProcess"
    grep -q '\[switch\]\$Apply' "$1" || echo "no -Apply switch"
}

# ---- every format, every example -------------------------------------------

for ex in branch-office week-cycle; do
    sched=$tmp/$ex.yaml
    run plan-$ex "$stagger" plan "examples/$ex.yaml" -o "$sched" --time-limit 20s
    if [ ! -s "$sched" ]; then
        not_ok "$ex: plan wrote a schedule (exit $rc)"
        continue
    fi
    ntransfers=$(sed -n '/^transfers:/,$p' "$sched" | grep -c '^  - ')
    for fmt in $formats; do
        out=$tmp/$ex.$fmt
        run export-$ex-$fmt "$stagger" export "$sched" --to "$fmt" -o "$out"
        expect_rc 0 "$ex: export --to $fmt"
        check "$ex: --to $fmt wrote something" test -s "$out"
        # standard output gets the same bytes
        run stdout-$ex-$fmt "$stagger" export "$sched" --to "$fmt"
        check "$ex: --to $fmt on standard output gives the same bytes" cmp -s "$out" "$tmp/$name.out"
    done

    out=$tmp/$ex.csv
    if [ -s "$out" ]; then
        check "$ex: csv header" test "$(head -n 1 "$out" | tr -d '\r')" = \
            "job,group,computer,kind,release,start,end,rate,volume,links,start_min,end_min,rate_bps,volume_bytes"
        jobs=$(tail -n +2 "$out" | cut -d, -f1 | uniq | wc -l)
        last=$(tail -n 1 "$out" | cut -d, -f1)
        check "$ex: csv has every transfer once ($jobs jobs, $ntransfers transfers)" \
            test "$jobs" -eq "$ntransfers" -a "$last" -eq "$ntransfers"
        check "$ex: csv records end in CRLF" \
            test "$(grep -c "$(printf '\r')\$" "$out")" -eq "$(wc -l <"$out")"
    fi

    out=$tmp/$ex.json
    if [ $have_python = no ]; then
        skip "$ex: json parses" "no python3"
    elif python3 -m json.tool "$out" >/dev/null 2>"$tmp/json.err"; then
        ok "$ex: json parses (python3 -m json.tool)"
    else
        not_ok "$ex: json parses (python3 -m json.tool)"
        show "$tmp/json.err"
    fi

    out=$tmp/$ex.ics
    long=$(LC_ALL=C awk '{ sub(/\r$/, ""); if (length($0) > 75) n++ } END { print n + 0 }' "$out")
    check "$ex: ics lines are at most 75 octets" test "$long" -eq 0
    check "$ex: ics lines end in CRLF" \
        test "$(grep -c "$(printf '\r')\$" "$out")" -eq "$(wc -l <"$out")"
    # a structural parse that needs no module: unfold, every content
    # line NAME[;PARAM]:VALUE, components nested, the properties RFC 5545
    # requires, one event per express-full time and per check
    if [ $have_python = no ]; then
        skip "$ex: ics structure" "no python3"
    elif python3 - "$out" "$tmp/$ex.json" >"$tmp/icsparse.out" 2>&1 <<'EOF'
import json, re, sys
raw = open(sys.argv[1], 'rb').read().decode('utf-8')
lines = raw.replace('\r\n ', '').split('\r\n')
assert lines[-1] == '', 'no CRLF at the end'
stack, events, props = [], [], None
for l in lines[:-1]:
    m = re.match(r'^([A-Z][A-Z0-9-]*)((;[A-Z0-9-]+=[^;:]*)*):(.*)$', l)
    assert m, 'not a content line: %r' % l
    name, value = m.group(1), m.group(4)
    if name == 'BEGIN':
        stack.append(value)
        if value == 'VEVENT':
            props = {}
    elif name == 'END':
        assert stack and stack.pop() == value, 'END:%s out of place' % value
        if value == 'VEVENT':
            events.append(props)
    elif stack and stack[-1] == 'VEVENT':
        assert name not in props, 'property %s twice' % name
        props[name] = value
assert not stack, 'unclosed %s' % stack
for e in events:
    for p in ('UID', 'DTSTAMP', 'DTSTART', 'RRULE', 'SUMMARY'):
        assert p in e, 'an event without %s' % p
    assert re.match(r'^\d{8}T\d{6}$', e['DTSTART']), e['DTSTART']
    assert re.match(r'^FREQ=(DAILY|WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*)$', e['RRULE']), e['RRULE']
assert len(set(e['UID'] for e in events)) == len(events), 'UIDs repeat'
doc = json.load(open(sys.argv[2]))
want = sum(len(g.get('express_full', [])) + ('consistency_check' in g)
           for g in doc['groups'])
assert len(events) == want, (len(events), want)
EOF
    then
        ok "$ex: ics structure (content lines, nesting, required properties, one event per job)"
    else
        not_ok "$ex: ics structure (content lines, nesting, required properties, one event per job)"
        show "$tmp/icsparse.out"
    fi
    if [ $have_icalendar = yes ]; then
        if "$icpy" - "$out" "$tmp/$ex.json" >"$tmp/ical.out" 2>&1 <<'EOF'
import json, sys
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
events = [c for c in cal.walk() if c.name == 'VEVENT']
doc = json.load(open(sys.argv[2]))
want = sum(len(g.get('express_full', [])) + ('consistency_check' in g)
           for g in doc['groups'])
assert len(events) == want, (len(events), want)
for e in events:
    assert e.get('uid') and e.get('dtstart') and e.get('rrule') and e.get('summary'), e
EOF
        then
            ok "$ex: ics parses with python3 icalendar, one event per job"
        else
            not_ok "$ex: ics parses with python3 icalendar, one event per job"
            show "$tmp/ical.out"
        fi
    else
        skip "$ex: ics parses with python3 icalendar" "python3-icalendar not installed"
    fi

    out=$tmp/$ex.ps1
    check_ps1 "$out" "$sched" >"$tmp/ps1.problems"
    if [ -s "$tmp/ps1.problems" ]; then
        not_ok "$ex: ps1 uses only whitelisted cmdlets and parameters, every group once"
        show "$tmp/ps1.problems"
    else
        ok "$ex: ps1 uses only whitelisted cmdlets and parameters, every group once"
    fi
done

# ---- the whitelist itself catches what it must ----------------------------

sched=$tmp/branch-office.yaml
if [ -s "$tmp/branch-office.ps1" ]; then
    sed 's/Set-DPMProtectionGroup -ProtectionGroup \$mpg/Set-DPMProtectionGroup -ProtectionGroup $mpg -Async/' \
        "$tmp/branch-office.ps1" >"$tmp/tampered.ps1"
    check_ps1 "$tmp/tampered.ps1" "$sched" >"$tmp/ps1.problems"
    check "the ps1 whitelist refuses a parameter it does not list" grep -q -- '-Async' "$tmp/ps1.problems"
    sed 's/^exit 0$/Remove-DPMDiskStorage -DPMDisk $x/' "$tmp/branch-office.ps1" >"$tmp/tampered.ps1"
    check_ps1 "$tmp/tampered.ps1" "$sched" >"$tmp/ps1.problems"
    check "the ps1 whitelist refuses a cmdlet it does not list" grep -q 'Remove-DPMDiskStorage' "$tmp/ps1.problems"
fi

# ---- the throttle checklist: now -> new, settable rates -------------------

# The hospital group's throttles are all auto: each line says what the
# fleet has now and the new rate in whole Kbps or Mbps, never above the
# plan's.
run plan-hospital "$stagger" plan tests/data/plan/hospital.yaml -o "$tmp/hosp.yaml" --time-limit 20s
run export-hospital "$stagger" export "$tmp/hosp.yaml" --to ps1 -o "$tmp/hosp.ps1"
expect_rc 0 "export of the hospital plan to ps1"
set_lines=$(grep -c '^#   \[ \] .*chosen by the plan: set it$' "$tmp/hosp.ps1")
good_lines=$(grep -cE '^#   \[ \] [^:]*: auto in the fleet \(whatever DPM has now\) -> [0-9]+ (Kbps|Mbps) (at all times|in work hours [0-9:]+-[0-9:]+ every day, [0-9]+ (Kbps|Mbps) at other times); chosen by the plan: set it$' "$tmp/hosp.ps1")
if [ "$set_lines" -gt 0 ] && [ "$set_lines" -eq "$good_lines" ]; then
    ok "ps1 throttles: each chosen one as now -> new in whole Kbps or Mbps ($set_lines)"
else
    not_ok "ps1 throttles: each chosen one as now -> new in whole Kbps or Mbps ($good_lines of $set_lines)"
    grep '^#   \[ \]' "$tmp/hosp.ps1" | sed 's/^/#   /'
fi
# rounded down: no new rate (at all times, or in and out of work hours)
# above the schedule's
to_bps() {  # 29.167Mbps or "29167 Kbps" -> bits per second
    echo "$1" | awk '{ v = $0; u = v; gsub(/[^0-9.]/, "", v); gsub(/[0-9. ]/, "", u)
        f = u == "Gbps" ? 1e9 : u == "Mbps" ? 1e6 : u == "Kbps" ? 1e3 : 1
        printf "%.0f\n", v * f }'
}
over=$(grep 'recommended: true' "$tmp/hosp.yaml" | while IFS= read -r line; do
        name=$(echo "$line" | sed 's/.*name: \([^,]*\),.*/\1/')
        planned=$(echo "$line" | sed 's/, recommended.*//' | grep -oE '[0-9.]+[KMG]?bps')
        set_to=$(grep "^#   \[ \] $name " "$tmp/hosp.ps1" | sed 's/.*-> //' | grep -oE '[0-9]+ [KM]bps')
        [ "$(echo "$planned" | wc -l)" -eq "$(echo "$set_to" | wc -l)" ] ||
            { echo "$name: $planned against $set_to"; continue; }
        echo "$planned" >"$tmp/planned"
        echo "$set_to" >"$tmp/set_to"
        paste -d'|' "$tmp/planned" "$tmp/set_to" | while IFS='|' read -r p n; do
            [ "$(to_bps "$n")" -le "$(to_bps "$p")" ] || echo "$name: $n above $p"
        done
    done)
check "ps1 throttles: rounded down, never above the plan's rate" [ -z "$over" ]
# a rate of no whole Kbps: 123.4Kbps is typed as 123 Kbps, not 124
cat >"$tmp/frac.yaml" <<'EOF'
stagger: 1
links: [ { name: wan, capacity: 20Mbps } ]
servers: [ { name: dpm } ]
computers:
  - { name: fs01, server: dpm, path: [wan], throttle: 123.4Kbps }
groups:
  - { name: G, sync: { every: 1h, offset: 0m }, sources: [ { name: d, computer: fs01, kind: file, size: 100GB, churn: 100MB/day } ] }
EOF
run plan-frac "$stagger" plan "$tmp/frac.yaml" -o "$tmp/frac-plan.yaml" --time-limit 20s
run export-frac "$stagger" export "$tmp/frac-plan.yaml" --to ps1 -o "$tmp/frac.ps1"
check "ps1 throttles: 123.4Kbps is typed as 123 Kbps (rounded down)" \
    grep -q '^#   \[ \] fs01 (DPM server dpm): 123 Kbps at all times; as in the fleet: check it$' "$tmp/frac.ps1"

# ---- on-the-wire compression: turned on where the fleet has it -----------

comp=tests/data/plan/compression.yaml
run plan-compression "$stagger" plan "$comp" -o "$tmp/comp.yaml" --time-limit 20s
expect_rc 0 "plan of a fleet with a compressed group"
run export-compression "$stagger" export "$tmp/comp.yaml" --to ps1 -o "$tmp/comp.ps1"
expect_rc 0 "export of that plan to ps1"
check_ps1 "$tmp/comp.ps1" "$tmp/comp.yaml" | grep -v 'is never called' >"$tmp/ps1.problems"
if [ -s "$tmp/ps1.problems" ]; then
    not_ok "compression: ps1 uses only whitelisted cmdlets and parameters"
    show "$tmp/ps1.problems"
else
    ok "compression: ps1 uses only whitelisted cmdlets and parameters"
fi
check "the compressed group's entry turns compression on" \
    grep -Pzq "Name = 'Packed'\n(.*\n)*?        Compression = \\\$true\n" "$tmp/comp.ps1"
check "the plain group's entry leaves it alone" \
    grep -Pzq "Name = 'Plain'\n(.*\n)*?        Compression = \\\$false\n" "$tmp/comp.ps1"
check "the script calls Set-DPMPerformanceOptimization -EnableCompression" \
    grep -q 'Set-DPMPerformanceOptimization -ProtectionGroup \$mpg -EnableCompression' "$tmp/comp.ps1"
# the compressed group's syncs carry half of 20GB a day: 416.667MB an hour
check "a compressed sync puts half its data on the wire" \
    grep -q 'group: Packed, computer: fs01, kind: sync, .*volume: 416.667MB' "$tmp/comp.yaml"

# ---- where the fleet comes from ---------------------------------------------

keep=$tmp/existing.out
printf 'an existing file that a failed export must not touch\n' >"$keep"
cp "$keep" "$tmp/existing.copy"
untouched() {
    if cmp -s "$keep" "$tmp/existing.copy" &&
        [ "$(ls -A "$tmp" | grep -c '\.existing\.out\.tmp')" -eq 0 ]; then
        ok "$1: the -o file is untouched"
    else
        not_ok "$1: the -o file is untouched"
    fi
}

# the fleet beside the schedule (fleet.file relative to the schedule's
# directory, not to the current one)
mkdir "$tmp/beside"
cp examples/branch-office.yaml "$tmp/beside/fleet.yaml"
(cd "$tmp/beside" && "$stagger" plan fleet.yaml -o plan.yaml >/dev/null 2>&1)
run beside "$stagger" export "$tmp/beside/plan.yaml" --to csv -o "$tmp/beside.csv"
expect_rc 0 "the fleet is found beside the schedule"
# a fleet.yaml in the current directory that is another fleet: the one
# beside the schedule, with the schedule's sha256, is taken
mkdir "$tmp/elsewhere"
cp examples/week-cycle.yaml "$tmp/elsewhere/fleet.yaml"
run beside-cwd sh -c 'cd "$1" && "$2" export ../beside/plan.yaml --to csv -o ../beside2.csv' \
    sh "$tmp/elsewhere" "$stagger"
expect_rc 0 "another fleet.yaml in the current directory: the one beside the schedule is used"
check "... and gives the same rows" cmp -s "$tmp/beside.csv" "$tmp/beside2.csv"

# a missing fleet: csv needs it, json does without
sed 's/^fleet: { file: fleet.yaml,/fleet: { file: no-such-fleet.yaml,/' \
    "$tmp/beside/plan.yaml" >"$tmp/beside/missing.yaml"
run missing-csv "$stagger" export "$tmp/beside/missing.yaml" --to csv -o "$keep"
expect_rc 2 "a missing fleet: csv exits 2"
untouched "a missing fleet"
check "a missing fleet: the message names the file and --fleet" \
    grep -q "no-such-fleet.yaml.*--fleet" "$tmp/$name.err"
run missing-json "$stagger" export "$tmp/beside/missing.yaml" --to json -o "$tmp/alone.json"
expect_rc 0 "a missing fleet: json is exported from the schedule alone"
run missing-fleet-opt "$stagger" export "$tmp/beside/missing.yaml" --to csv \
    --fleet examples/branch-office.yaml -o "$tmp/opt.csv"
expect_rc 0 "a missing fleet: --fleet FILE supplies it"
run missing-fleet-bad "$stagger" export "$tmp/beside/missing.yaml" --to csv \
    --fleet "$tmp/no-such-file.yaml" -o "$keep"
expect_rc 2 "a --fleet that does not exist exits 2"
untouched "a --fleet that does not exist"

# a changed fleet: exit 2 whatever the format
printf '# changed after planning\n' >>"$tmp/beside/fleet.yaml"
for fmt in csv json; do
    run changed-$fmt "$stagger" export "$tmp/beside/plan.yaml" --to $fmt -o "$keep"
    expect_rc 2 "a changed fleet: --to $fmt exits 2"
    untouched "a changed fleet (--to $fmt)"
done
check "a changed fleet: the message says it changed and to plan again" \
    grep -q "changed since.*plan again" "$tmp/$name.err"
run changed-opt "$stagger" export "$tmp/beside/plan.yaml" --to csv \
    --fleet examples/branch-office.yaml -o "$tmp/opt2.csv"
expect_rc 0 "a changed fleet: --fleet with the planned-for file works"

# ---- bad usage and bad input ----------------------------------------------

run bad-to "$stagger" export "$sched" --to xlsx -o "$keep"
expect_rc 2 "--to xlsx exits 2"
untouched "--to xlsx"
check "--to xlsx: the message lists the formats" grep -q 'csv, ps1' "$tmp/$name.err"
run no-to "$stagger" export "$sched" -o "$keep"
expect_rc 2 "no --to exits 2"
untouched "no --to"
run no-schedule "$stagger" export "$tmp/no-such-schedule.yaml" --to json -o "$keep"
expect_rc 2 "a missing schedule exits 2"
untouched "a missing schedule"
printf 'stagger-schedule: 1\nfleet: { file: x.yaml, sha256: abc }\ncycle: fortnight\n' >"$tmp/bad.yaml"
run bad-schedule "$stagger" export "$tmp/bad.yaml" --to json -o "$keep"
expect_rc 2 "a bad schedule exits 2"
untouched "a bad schedule"
check "a bad schedule: the message says file:line:column" \
    grep -q "bad.yaml:[0-9][0-9]*:[0-9][0-9]*:" "$tmp/$name.err"
run no-dir "$stagger" export "$sched" --to json -o "$tmp/no-such-dir/x.json"
expect_rc 2 "-o into a missing directory exits 2"
run two-args "$stagger" export "$sched" "$sched" --to json
expect_rc 2 "two schedules exit 2"

# ---- a schedule that breaks a rule is still exported ------------------------

run violates-plan "$stagger" plan tests/data/fleet/every-key.yaml -o "$tmp/violates.yaml" --time-limit 5s
if grep -q '^status: violates' "$tmp/violates.yaml" 2>/dev/null; then
    run violates "$stagger" export "$tmp/violates.yaml" --to json -o "$tmp/violates.json"
    expect_rc 0 "a schedule with status violates exports with exit 0"
    check "a schedule with status violates: a note says so" grep -q 'violates' "$tmp/$name.err"
else
    skip "a schedule with status violates exports with exit 0" "the plan kept every rule"
fi

echo "1..$n"
if [ "$fails" -ne 0 ]; then
    echo "# $fails of $n checks failed"
    exit 1
fi
exit 0
