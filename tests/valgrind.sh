#!/bin/sh
# The exe_wrapper of `meson test --setup valgrind` (meson.build): a test
# program runs under valgrind memcheck with the arguments given before
# "--"; a shell test (sh SCRIPT ...) runs as it is, since the shell is not
# what is tested: it runs the programs it tests under $STAGGER_WRAPPER,
# which the setup sets to valgrind (tests/wrap.sh).
#   sh tests/valgrind.sh VALGRIND-ARGS... -- PROGRAM ARGS...
args=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    args="$args $1"
    shift
done
[ "${1:-}" = -- ] && shift
case $(basename "$1") in
sh|dash|bash) exec "$@" ;;
esac
# shellcheck disable=SC2086
exec valgrind $args "$@"
