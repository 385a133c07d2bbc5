#!/bin/sh
# End-to-end tests of `stagger capacity` (docs/capacity.md), run from the
# repository root:
#
#   sh tests/capacity.sh build/cli/stagger
#
# The command on the small capacity fleet, on examples/branch-office.yaml
# and on one link of examples/company.yaml, with a short time limit per
# planner run; every format (JSON through python3 -m json.tool); exit
# codes (0 fits today, 1 a link short already, 2 bad usage with nothing
# written).  Prints one TAP line per check; exits 1 when any failed.
#
# POSIX sh, coreutils and python3 only.
stagger=${1:?usage: capacity.sh STAGGER}
limit=${CAPACITY_TIME_LIMIT:-1s}

. "$(dirname "$0")/tap.sh"
tap_begin capacity

# expect_out PATTERN DESCRIPTION: the last run's stdout matches (grep -E).
expect_out() {
    if grep -Eq "$1" "$tmp/$name.out"; then
        ok "$2"
    else
        not_ok "$2"
        show "$tmp/$name.out"
        show "$tmp/$name.err"
    fi
}

small=tests/data/capacity/branch.yaml

# ---- the small fleet: every planner run tries every schedule -----------

run small-table "$stagger" capacity "$small" --growth 3%/month --time-limit "$limit"
expect_rc 0 "small: fits today, exit 0"
expect_out '^branch-wan +25Mbps +4\.0% +28\.0% +21\.2Mbps bound +100Kbps +2\.88x +35$' \
    "small: branch-wan row (today, planned, minimum from the bound, growth, months)"
expect_out 'no stagger fixes it: the express full of group SQL from sql01' \
    "small: names the express full no stagger fixes"
expect_out '^fleet: every rule holds planned today; every rule holds up to growth 2\.88x \(35 months\)$' \
    "small: fleet-wide growth"
if head -n 3 "$tmp/$name.out" | tail -n 1 | grep -q '^branch-wan '; then
    ok "small: worst link first"
else
    not_ok "small: worst link first"
    show "$tmp/$name.out"
fi

# the same answers twice (no planner run reaches its limit here)
run small-again "$stagger" capacity "$small" --growth 3%/month --time-limit "$limit"
if cmp -s "$tmp/small-table.out" "$tmp/small-again.out"; then
    ok "small: the same answers twice"
else
    not_ok "small: the same answers twice"
    diff "$tmp/small-table.out" "$tmp/small-again.out" | sed 's/^/#   /'
fi

# yearly growth: 42.58%/year is 3%/month
run small-year "$stagger" capacity "$small" --growth 42.58%/year --time-limit "$limit"
expect_out '^branch-wan .* 2\.88x +35$' "small: %/year gives the same months as the monthly rate"

run small-csv "$stagger" capacity "$small" --format csv --time-limit "$limit"
expect_rc 0 "small: csv, exit 0"
expect_out '^link,capacity_bps,headroom_today,headroom_planned,min_capacity_bps,method,resolution_bps,' \
    "small: csv header"
expect_out '^branch-wan,25000000,0\.0400,0\.2800,21200000,bound,100000,' "small: csv row"
if [ "$(wc -l <"$tmp/$name.out")" -eq 3 ]; then
    ok "small: csv has a header and one row per link"
else
    not_ok "small: csv has a header and one row per link"
    show "$tmp/$name.out"
fi

run small-json "$stagger" capacity "$small" --format json --growth 3%/month -o "$tmp/small.json" --time-limit "$limit"
expect_rc 0 "small: json to a file, exit 0"
if [ ! -s "$tmp/$name.out" ] && python3 -m json.tool "$tmp/small.json" >/dev/null 2>"$tmp/json.err"; then
    ok "small: -o writes valid JSON, nothing on stdout"
else
    not_ok "small: -o writes valid JSON, nothing on stdout"
    show "$tmp/json.err"
fi
if python3 - "$tmp/small.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
links = {l["name"]: l for l in d["links"]}
w = links["branch-wan"]
assert w["min_capacity_bps"] == 21200000 and w["method"] == "bound", w
assert w["min_capacity_bps"] % w["resolution_bps"] == 0
assert w["proven_below_bps"] <= w["min_capacity_bps"]
assert w["growth"]["factor"] == 2.88 and w["growth"]["months"] == 35, w
assert "no stagger fixes it" in w["binds"]
assert d["growth"]["factor"] == 2.88 and d["meets_today"] is True
assert d["growth_rate"]["per"] == "month"
EOF
then
    ok "small: json fields"
else
    not_ok "small: json fields"
fi

# ---- a link short today: exit 1, everything still printed ----------------

short=$tmp/short.yaml
cat >"$short" <<'EOF'
stagger: 1
resolution: 5m
links:
  - name: wan
    capacity: 10Mbps
    background: [ { from: "00:00", to: "00:00", rate: 8Mbps } ]
  - { name: core, capacity: 1Gbps }
servers: [ { name: dpm, path: [core] } ]
computers:
  - { name: fs01, server: dpm, path: [wan], throttle: 1Mbps }
groups:
  - name: Files
    sync: { every: 1h, offset: 0m }
    sources: [ { name: D, computer: fs01, kind: file, size: 100GB, churn: 1GB/day } ]
EOF
run short "$stagger" capacity "$short" --time-limit "$limit"
expect_rc 1 "a link short already: exit 1"
expect_out '^wan +10Mbps +.* +10\.6Mbps bound ' "a link short already: its minimum is still printed"
expect_out 'growth <0\.01x' "a link short already: no growth fits"

# ---- the examples ---------------------------------------------------------

run branch "$stagger" capacity examples/branch-office.yaml --growth 3%/month --time-limit "$limit"
expect_rc 0 "branch-office: exit 0"
expect_out '^branch-wan +20Mbps +-70\.0% +20\.0% +18\.9Mbps bound ' \
    "branch-office: branch-wan minimum 18.9Mbps from the bound"
expect_out 'one transfer alone: the sync of group Branch-Files from fs01\.branch\.contoso\.local' \
    "branch-office: the one transfer that binds"
expect_out '^dc-core ' "branch-office: every link listed"

run company "$stagger" capacity examples/company.yaml --link osl-wan --format json --time-limit "$limit"
expect_rc 0 "company, one link: exit 0"
if python3 -m json.tool "$tmp/$name.out" >/dev/null 2>"$tmp/json.err" &&
    python3 - "$tmp/$name.out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert [l["name"] for l in d["links"]] == ["osl-wan"]
l = d["links"][0]
assert l["method"] in ("bound", "searched") and l["min_capacity_bps"] > 0
assert l["min_capacity_bps"] % l["resolution_bps"] == 0
assert d["growth"] is None
EOF
then
    ok "company, one link: valid JSON with that link only"
else
    not_ok "company, one link: valid JSON with that link only"
    show "$tmp/json.err"
    show "$tmp/$name.out"
fi

# ---- bad usage: exit 2, nothing written ----------------------------------

for g in 3 3% 3%/week -3%/month 0%/month %/month abc 3%/month/x; do
    target=$tmp/not-written.txt
    run growth-bad "$stagger" capacity "$small" --growth "$g" -o "$target"
    if [ "$rc" -eq 2 ] && [ ! -e "$target" ] && grep -q -- '--growth' "$tmp/$name.err"; then
        ok "--growth $g: exit 2, the option named, nothing written"
    else
        not_ok "--growth $g: exit 2, the option named, nothing written (exit $rc)"
        show "$tmp/$name.err"
    fi
done

run no-rate "$stagger" capacity "$small" --growth
expect_rc 2 "--growth without a rate: exit 2"
run unknown "$stagger" capacity "$small" --bogus
expect_rc 2 "an unknown option: exit 2"
run bad-format "$stagger" capacity "$small" --format xml
expect_rc 2 "--format xml: exit 2"
run bad-link "$stagger" capacity "$small" --link nowhere
expect_rc 2 "--link of no link: exit 2"
run bad-limit "$stagger" capacity "$small" --time-limit soon
expect_rc 2 "--time-limit soon: exit 2"
run no-fleet "$stagger" capacity
expect_rc 2 "no fleet: exit 2"
run missing "$stagger" capacity "$tmp/none.yaml"
expect_rc 2 "a missing fleet file: exit 2"
run bad-out "$stagger" capacity "$small" -o "$tmp/no/such/dir/out.txt"
expect_rc 2 "an output in a missing directory: exit 2 before any planning"
run help "$stagger" capacity --help
expect_rc 0 "--help: exit 0"
expect_out '^usage: stagger capacity FLEET' "--help: usage"

echo "1..$n"
[ "$fails" -eq 0 ]
