#!/bin/sh
# Runs the examples in the documentation and compares their output.
#
#   tests/docs.sh STAGGER VERIFY FILE...            check
#   tests/docs.sh --update STAGGER VERIFY FILE...   rewrite the outputs in place
#
# In each ```console block, a line "$ COMMAND" is run (in a scratch
# directory where examples/ and tests/ are the repository's) with
# `stagger` meaning the program under test and `stagger-verify` the
# independent checker; the lines after it, up to the next "$ " or the
# end of the block, are its expected standard output and error.  Measured
# times ("planned in 0.05s", "seconds: 0.05") are compared as N.NN, and
# "advised in 3.80s (57 plans)" as "advised in N.NNs (N plans)".
update=0
[ "$1" = --update ] && { update=1; shift; }
stagger=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
verify=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
shift 2
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# STAGGER_WRAPPER (tests/wrap.sh): the programs run under it.
. "$root/tests/wrap.sh"
stagger=$(stg_wrap "$tmp" "$stagger")
verify=$(stg_wrap "$tmp" "$verify")
ln -s "$root/examples" "$tmp/examples"
ln -s "$root/tests" "$tmp/tests"
fail=0 n=0

normalize() {
    sed -E 's/planned in [0-9]+\.[0-9]+s/planned in N.NNs/; s/seconds: [0-9]+\.[0-9]+/seconds: N.NN/; s/advised in [0-9]+\.[0-9]+s \([0-9]+ plans\)/advised in N.NNs (N plans)/'
}

run_example() {   # $1 command file; output on stdout
    (cd "$tmp" && stagger() { "$stagger" "$@"; } &&
     stagger_verify() { "$verify" "$@"; } && . "$1") 2>&1
}

for doc in "$@"; do
    out="$tmp/new.md"
    : > "$out"
    in=0 cmd=""
    # read the document line by line; examples are run as they close
    flush() {
        [ -n "$cmd" ] || return 0
        n=$((n + 1))
        printf '%s\n' "$cmd" | sed 's/^stagger-verify /stagger_verify /' > "$tmp/cmd"
        run_example "$tmp/cmd" > "$tmp/got.raw"
        if [ "$update" = 1 ]; then
            cat "$tmp/got.raw" >> "$out"
        else
            normalize < "$tmp/got.raw" > "$tmp/got"
            normalize < "$tmp/want.raw" > "$tmp/want"
            if cmp -s "$tmp/got" "$tmp/want"; then
                echo "ok $n - $doc: \$ $cmd"
            else
                echo "not ok $n - $doc: \$ $cmd"
                diff "$tmp/want" "$tmp/got" | sed 's/^/#   /' | head -n 20
                fail=1
            fi
        fi
        cmd=""
    }
    while IFS= read -r line || [ -n "$line" ]; do
        if [ $in = 0 ]; then
            printf '%s\n' "$line" >> "$out"
            [ "$line" = '```console' ] && in=1
            continue
        fi
        case "$line" in
        '```')
            flush
            printf '%s\n' "$line" >> "$out"
            in=0 ;;
        '$ '*)
            flush
            printf '%s\n' "$line" >> "$out"
            cmd=${line#\$ }
            : > "$tmp/want.raw" ;;
        *)
            [ -n "$cmd" ] && printf '%s\n' "$line" >> "$tmp/want.raw"
            [ -n "$cmd" ] || printf '%s\n' "$line" >> "$out" ;;
        esac
    done < "$doc"
    [ "$update" = 1 ] && cp "$out" "$doc"
done
[ "$update" = 1 ] && exit 0
echo "1..$n"
exit $fail
