# Sourced by bench/scale.sh and bench/never-worse.sh.
#
#   order_line ORDER FLEET NEW OLD
#
# prints stagger-order's line for schedules NEW and OLD of FLEET (ORDER:
# the stagger-order program), the two named new and old, followed by
# "; on the links at risk: ..." where stagger-order --at-risk says
# otherwise, e.g. "new better: link 2 of 3, 65.000% against 40.000% (wa
# in old)".  The strict part is ${line%%; on the links at risk: *}.
order_line() {
    _ol_strict=$("$1" "$2" "$3" "$4" 2>&1 | order_names) || true
    _ol_risk=$("$1" --at-risk "$2" "$3" "$4" 2>&1 | order_names) || true
    if [ "$_ol_strict" = "$_ol_risk" ]; then
        echo "$_ol_strict"
    else
        echo "$_ol_strict; on the links at risk: $_ol_risk"
    fi
}

order_names() {
    sed 's/^first/new/; s/^second/old/; s/the first/new/; s/the second/old/'
}
