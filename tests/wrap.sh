# Sourced by the shell tests.  stg_wrap DIR PROGRAM prints the path of a
# program that runs PROGRAM through $STAGGER_WRAPPER (a command with its
# arguments, e.g. the valgrind of `meson test --setup valgrind`), written
# into DIR; PROGRAM itself when STAGGER_WRAPPER is unset or empty.
stg_wrap() {
    if [ -z "${STAGGER_WRAPPER:-}" ]; then
        printf '%s\n' "$2"
        return 0
    fi
    stg_wrapped=$1/wrapped-$(basename "$2")
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$STAGGER_WRAPPER" "$2" > "$stg_wrapped"
    chmod +x "$stg_wrapped"
    printf '%s\n' "$stg_wrapped"
}
