#!/bin/sh
# Tests of `stagger collect` and of the collection script it carries
# (io/collect/stagger-collect.ps1; docs/import.md), run from the
# repository root:
#
#   sh tests/collect.sh STAGGER WORKDIR
#
# 1. `stagger collect` prints the shipped file byte for byte, and -o
#    writes the same bytes; a bad command line or an unwritable -o exits 2
#    and leaves the target as it was.  The file is ASCII (Windows
#    PowerShell 5.1 reads a file without a byte-order mark as ANSI).
# 2. The script parses with a real PowerShell parser: tree-sitter's
#    PowerShell grammar, built into tests/ps_parse.c (in WORKDIR, from
#    what scripts/powershell-grammar fetched; scripts/setup fetches it).
#    Any ERROR or MISSING node fails, with its line and column.
# 3. From the same parse tree, every command and every -Parameter given
#    to it is checked against tests/data/collect/cmdlets.txt, every
#    [Type]::Member against tests/data/collect/dotnet.txt; a command
#    whose verb does not only read fails even when listed, so does a
#    command whose name is not written out (& $x).  Each file of
#    tests/data/collect/bad/ must be refused: the checks can fail.
# 4. The PowerShell that `stagger export --to ps1` writes parses too.
# 5. tests/data/collect/sample-export.json has the keys and types of the
#    export format, version 1 (python3, when there).
# One TAP line per check; exits 1 when any failed.
stagger=${1:?usage: collect.sh STAGGER WORKDIR}
work=${2:?usage: collect.sh STAGGER WORKDIR}
case $stagger in /*) ;; *) stagger=$(pwd)/$stagger ;; esac
case $work in /*) ;; *) work=$(pwd)/$work ;; esac

script=io/collect/stagger-collect.ps1
data=tests/data/collect

. "$(dirname "$0")/tap.sh"
tap_begin collect

. "$(dirname "$0")/wrap.sh"
stagger=$(stg_wrap "$tmp" "$stagger")

# ---- 1. stagger collect ---------------------------------------------------

run print "$stagger" collect
expect_rc 0 "stagger collect exits 0"
check "stagger collect prints the shipped script byte for byte" cmp -s "$tmp/print.out" "$script"
check "stagger collect prints nothing on standard error" test ! -s "$tmp/print.err"

run write "$stagger" collect -o "$tmp/written.ps1"
expect_rc 0 "stagger collect -o FILE exits 0"
check "-o writes the shipped script byte for byte" cmp -s "$tmp/written.ps1" "$script"
check "-o leaves no temporary behind" test -z "$(find "$tmp" -name '.written.ps1.tmp*')"

printf 'keep me\n' > "$tmp/keep.ps1"
run operand "$stagger" collect "$tmp/keep.ps1"
expect_rc 2 "an operand is refused"
run nodir "$stagger" collect -o "$tmp/no/such/dir/x.ps1"
expect_rc 2 "an -o in a folder that does not exist is refused"
chmod 0555 "$tmp" 2>/dev/null
if [ "$(id -u)" -ne 0 ] && [ ! -w "$tmp" ]; then
    run readonly "$stagger" collect -o "$tmp/keep.ps1"
    expect_rc 2 "an -o in a folder that cannot be written is refused"
    check "... and the existing file is left as it was" test "$(cat "$tmp/keep.ps1")" = "keep me"
else
    skip "an -o in a folder that cannot be written is refused" "root writes anywhere"
fi
chmod 0755 "$tmp"

if LC_ALL=C grep -q '[^ -~	]' "$script"; then
    not_ok "the script is printable ASCII, LF line ends"
    LC_ALL=C grep -n '[^ -~	]' "$script" | head -n 5 | sed 's/^/#   /'
else
    ok "the script is printable ASCII, LF line ends"
fi

# ---- 2. the parser --------------------------------------------------------

grammar=$(sh scripts/powershell-grammar --path 2>/dev/null)
parser=$work/ps-parse
if [ -z "$grammar" ]; then
    not_ok "tree-sitter and its PowerShell grammar are there (run scripts/setup, or scripts/powershell-grammar)"
    echo "1..$n"
    exit 1
fi
mkdir -p "$work"
# the grammar and the runtime: built once per version, without our
# warnings (not our code)
stamp=$work/objects-$(basename "$grammar")
if [ ! -f "$stamp" ]; then
    rm -f "$work"/objects-* "$work"/*.o
    cc -O1 -w -std=gnu11 -I"$grammar/runtime/lib/include" -I"$grammar/runtime/lib/src" \
        -c "$grammar/runtime/lib/src/lib.c" -o "$work/ts-runtime.o" &&
    cc -O1 -w -I"$grammar/powershell/src" -c "$grammar/powershell/src/parser.c" \
        -o "$work/ts-parser.o" &&
    cc -O1 -w -I"$grammar/powershell/src" -c "$grammar/powershell/src/scanner.c" \
        -o "$work/ts-scanner.o" &&
    touch "$stamp"
fi
if [ -f "$stamp" ] &&
   cc -std=c11 -Wall -Wextra -Werror -O1 -I"$grammar/runtime/lib/include" \
       tests/ps_parse.c "$work/ts-runtime.o" "$work/ts-parser.o" "$work/ts-scanner.o" \
       -o "$parser" 2>"$tmp/cc.err"; then
    ok "the PowerShell parser builds (tree-sitter, $(basename "$grammar"))"
else
    not_ok "the PowerShell parser builds"
    show "$tmp/cc.err"
    echo "1..$n"
    exit 1
fi

# ---- 3. the checks ----------------------------------------------------------

# policy PARSED: what is wrong in ps-parse's output, one line each
policy() {
    awk -v allow="$data/cmdlets.txt" -v dotnet="$data/dotnet.txt" '
    function lc(s) { return tolower(s) }
    BEGIN {
        while ((getline line < allow) > 0) {
            if (line ~ /^[ \t]*(#|$)/) continue
            split(line, f, /[ \t]+/)
            known[lc(f[1])] = 1
            np = split(f[2], p, ",")
            for (i = 1; i <= np; i++)
                if (p[i] != "-") param[lc(f[1]) SUBSEP lc(p[i])] = 1
        }
        while ((getline line < dotnet) > 0) {
            if (line ~ /^[ \t]*(#|$)/) continue
            gsub(/[ \t]/, "", line)
            member[lc(line)] = 1
        }
        # verbs that only read or compute, and the commands that only
        # write to the output streams
        split("get convertto convertfrom select where foreach sort group measure test join split resolve compare format", v, " ")
        for (i in v) readonly[v[i]] = 1
        split("write-host write-verbose write-warning write-output write-error write-debug write-information write-progress", w, " ")
        for (i in w) stream[w[i]] = 1
        split("erroraction warningaction verbose", c, " ")
        for (i in c) common[c[i]] = 1
    }
    { rec[NR] = $0 }
    $1 == "function" {
        fn[lc($2)] = 1
        for (i = 3; i <= NF; i++) fparam[lc($2) SUBSEP lc($i)] = 1
    }
    END {
        for (k = 1; k <= NR; k++) {
            nf = split(rec[k], f, " ")
            if (f[1] == "error") { sub(/^error /, "", rec[k]); print rec[k]; continue }
            if (f[1] == "dynamic") { print "line " f[2] ": a command whose name is not written out: " substr(rec[k], length(f[1] f[2]) + 3); continue }
            if (f[1] == "static") {
                m = f[3]; for (i = 4; i <= nf; i++) m = m f[i]
                if (!(lc(m) in member)) print "line " f[2] ": " m " is not in " dotnet
                continue
            }
            if (f[1] != "command") continue
            name = lc(f[3]); verb = name; sub(/-.*/, "", verb)
            if (name in fn) {
                if (!(verb in readonly) && verb != "write")
                    print "line " f[2] ": " f[3] ", a function of the script, has a verb that does not only read"
                for (i = 4; i <= nf; i++)
                    if (!((name SUBSEP lc(f[i])) in fparam) && !(lc(f[i]) in common))
                        print "line " f[2] ": " f[3] " declares no parameter -" f[i]
                continue
            }
            if (!(verb in readonly) && !(name in stream))
                print "line " f[2] ": " f[3] " has a verb that does not only read"
            if (!(name in known)) { print "line " f[2] ": " f[3] " is not in " allow; continue }
            for (i = 4; i <= nf; i++)
                if (!((name SUBSEP lc(f[i])) in param) && !(lc(f[i]) in common))
                    print "line " f[2] ": " f[3] " -" f[i] " is not in " allow
        }
    }' "$1"
}

"$parser" "$script" > "$tmp/script.parsed" 2>"$tmp/script.err"
prc=$?
if [ $prc -eq 0 ]; then
    ok "the collection script parses (no ERROR or MISSING node)"
else
    not_ok "the collection script parses (exit $prc)"
    grep '^error ' "$tmp/script.parsed" | head -n 20 | sed 's/^/#   /'
    show "$tmp/script.err"
fi
ncommands=$(grep -c '^command ' "$tmp/script.parsed")
check "the parse finds the script's commands ($ncommands)" test "$ncommands" -ge 20
for c in Get-DPMProtectionGroup Get-DPMPolicySchedule Get-DPMDatasource \
         Get-DPMConsistencyCheckWindow Get-DPMJob ConvertTo-Json; do
    check "the script calls $c" grep -q "^command [0-9]* $c" "$tmp/script.parsed"
done
policy "$tmp/script.parsed" > "$tmp/script.policy" 2>&1 ||
    echo "the check itself failed (awk)" >> "$tmp/script.policy"
if [ -s "$tmp/script.policy" ]; then
    not_ok "every command, parameter and .NET member of the script is allowed"
    show "$tmp/script.policy"
else
    ok "every command, parameter and .NET member of the script is allowed"
fi

# every listed command is used (the list says what the script runs)
unused=$(awk '!/^[ \t]*(#|$)/ { print $1 }' "$data/cmdlets.txt" | while read -r c; do
    grep -qi "^command [0-9]* $c\( \|$\)" "$tmp/script.parsed" || printf ' %s' "$c"
done)
check "every command of $data/cmdlets.txt is used${unused:+ (unused:$unused)}" test -z "$unused"

# the checks can fail: each bad script is refused
for bad in "$data"/bad/*.ps1; do
    "$parser" "$bad" > "$tmp/bad.parsed" 2>&1
    policy "$tmp/bad.parsed" > "$tmp/bad.policy" 2>&1 ||
        echo "the check itself failed (awk)" >> "$tmp/bad.policy"
    if [ -s "$tmp/bad.policy" ]; then
        ok "refused: $(basename "$bad") ($(head -n 1 "$tmp/bad.policy"))"
    else
        not_ok "refused: $(basename "$bad")"
    fi
done

# ---- 4. the script stagger export writes -------------------------------------

run plan "$stagger" plan examples/branch-office.yaml -o "$tmp/plan.yaml" --time-limit 10s
run export "$stagger" export "$tmp/plan.yaml" --to ps1 -o "$tmp/plan.ps1"
if [ "$rc" -eq 0 ] && [ -s "$tmp/plan.ps1" ]; then
    "$parser" "$tmp/plan.ps1" > "$tmp/export.parsed" 2>&1
    prc=$?
    if [ $prc -eq 0 ]; then
        ok "the script of stagger export --to ps1 parses"
    else
        not_ok "the script of stagger export --to ps1 parses (exit $prc)"
        grep '^error ' "$tmp/export.parsed" | head -n 20 | sed 's/^/#   /'
    fi
else
    not_ok "stagger export --to ps1 wrote a script (exit $rc)"
    show "$tmp/export.err"
fi

# ---- 5. the sample export ------------------------------------------------------

if command -v python3 >/dev/null 2>&1; then
    if python3 - "$data/sample-export.json" > "$tmp/sample.out" 2>&1 <<'EOF'
import json, re, sys

bad = []
def need(cond, what):
    if not cond:
        bad.append(what)

DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
STAMP = re.compile(r"^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$")

def keys(obj, want, where, optional=()):
    need(isinstance(obj, dict), where + " is an object")
    if isinstance(obj, dict):
        extra = set(obj) - set(want) - set(optional)
        missing = set(want) - set(obj)
        need(not extra, where + ": unknown keys " + ", ".join(sorted(extra)))
        need(not missing, where + ": missing keys " + ", ".join(sorted(missing)))

def days(v, where):
    need(isinstance(v, list) and v and all(d in DAYS for d in v)
         and v == sorted(v, key=DAYS.index) and len(set(v)) == len(v),
         where + " are day names, Sunday first")

def times_days(v, where):
    if v is None:
        return
    keys(v, ["times", "days"], where)
    need(isinstance(v.get("times"), list) and v["times"]
         and all(isinstance(t, str) and HHMM.match(t) for t in v["times"]), where + ".times")
    days(v.get("days"), where + ".days")

def integer(v):
    return isinstance(v, int) and not isinstance(v, bool)

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
keys(doc, ["stagger_export", "collected", "utc_offset", "server", "groups", "computers"],
     "the document", optional=["jobs"])
need(doc.get("stagger_export") == 1, "stagger_export is 1")
need(isinstance(doc.get("collected"), str) and STAMP.match(doc["collected"]), "collected")
need(isinstance(doc.get("utc_offset"), str) and re.match(r"^[+-][0-9]{2}:[0-5][0-9]$", doc["utc_offset"]), "utc_offset")
keys(doc.get("server"), ["name", "version"], "server")
names = set()
for i, g in enumerate(doc.get("groups", [])):
    w = "groups[%d]" % i
    keys(g, ["name", "sync", "recovery_points", "express_full", "consistency_check", "sources"], w)
    need(isinstance(g.get("name"), str) and g["name"] not in names, w + ".name")
    names.add(g.get("name"))
    s = g.get("sync")
    if isinstance(s, dict) and "before_recovery_point" in s:
        keys(s, ["before_recovery_point"], w + ".sync")
    else:
        keys(s, ["every_minutes", "offset_minutes"], w + ".sync")
        need(s.get("every_minutes") in (15, 30, 60, 120, 240, 360, 720, 1440), w + ".sync.every_minutes")
        need(integer(s.get("offset_minutes")) and 0 <= s["offset_minutes"] < s["every_minutes"], w + ".sync.offset_minutes")
    times_days(g.get("recovery_points"), w + ".recovery_points")
    times_days(g.get("express_full"), w + ".express_full")
    c = g.get("consistency_check")
    if c is not None:
        keys(c, ["start", "hours", "days"], w + ".consistency_check")
        need(isinstance(c.get("start"), str) and HHMM.match(c["start"]), w + ".consistency_check.start")
        need(integer(c.get("hours")) and 1 <= c["hours"] <= 24, w + ".consistency_check.hours")
        days(c.get("days"), w + ".consistency_check.days")
    for j, src in enumerate(g.get("sources", [])):
        ws = "%s.sources[%d]" % (w, j)
        keys(src, ["name", "computer", "type", "replica_bytes", "used_bytes"], ws)
        need(all(isinstance(src.get(k), str) for k in ("name", "computer", "type")), ws + " names")
        for k in ("replica_bytes", "used_bytes"):
            need(src.get(k) is None or (integer(src[k]) and src[k] >= 0), ws + "." + k)
computers = set()
for i, c in enumerate(doc.get("computers", [])):
    w = "computers[%d]" % i
    keys(c, ["name", "throttle"], w)
    computers.add(c.get("name"))
    t = c.get("throttle")
    if t is not None:
        if t.get("enabled") is False:
            keys(t, ["enabled"], w + ".throttle")
        else:
            keys(t, ["enabled", "work_kbps", "other_kbps", "work_start", "work_end", "work_days"], w + ".throttle")
for g in doc.get("groups", []):
    for src in g.get("sources", []):
        need(src.get("computer") in computers, "the computer of %s is in computers" % src.get("name"))
for i, j in enumerate(doc.get("jobs", [])):
    w = "jobs[%d]" % i
    keys(j, ["type", "group", "source", "computer", "start", "end", "status", "error_id", "bytes"], w)
    need(isinstance(j.get("start"), str) and STAMP.match(j["start"]), w + ".start")
    need(j.get("end") is None or (isinstance(j["end"], str) and STAMP.match(j["end"]) and j["end"] >= j["start"]), w + ".end")
    need(j.get("error_id") is None or integer(j["error_id"]), w + ".error_id")
    need(j.get("bytes") is None or (integer(j["bytes"]) and j["bytes"] >= 0), w + ".bytes")
    need(j.get("group") is None or j["group"] in names, w + ".group is a group of the file")
jobs = doc.get("jobs", [])
need(any(j.get("status") == "Failed" and j.get("error_id") == 308 for j in jobs),
     "a failed job with error 308")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
    then
        ok "the sample export has the format's keys and types"
    else
        not_ok "the sample export has the format's keys and types"
        show "$tmp/sample.out"
    fi
else
    skip "the sample export has the format's keys and types" "no python3"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
