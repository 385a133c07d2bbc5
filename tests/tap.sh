# The TAP helpers the shell tests share; sourced first, then
#
#   tap_begin NAME                           $tmp, a scratch directory
#                                            removed on exit; fails=0, n=0
#
#   ok DESC / not_ok DESC / skip DESC WHY    one TAP line each
#   show FILE                                a file as TAP comments (40 lines)
#   run NAME CMD...                          CMD's stdout in $tmp/NAME.out,
#                                            stderr in $tmp/NAME.err; sets rc
#   expect_rc WANT DESC                      checks the last run's rc
#   check DESC CMD...                        ok when CMD succeeds

tap_begin() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagger-$1.XXXXXX") || exit 1
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' HUP INT TERM
    fails=0
    n=0
}

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

not_ok() {
    n=$((n + 1))
    echo "not ok $n - $1"
    fails=$((fails + 1))
}

skip() {
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}

show() {
    [ -f "$1" ] && head -n 40 "$1" | sed 's/^/#   /'
}

run() {
    name=$1
    shift
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
}

expect_rc() {
    if [ "$rc" -eq "$1" ]; then
        ok "$2"
    else
        not_ok "$2 (exit $rc, expected $1)"
        show "$tmp/$name.out"
        show "$tmp/$name.err"
    fi
}

check() {
    desc=$1
    shift
    if "$@"; then
        ok "$desc"
    else
        not_ok "$desc"
    fi
}
