#!/bin/sh
# The manual pages and the bash completion are generated from the command
# table: every command has its page, every option of its --help is in it,
# the pages render without warnings, and the completion completes commands,
# options and option choices.
# usage: manpages.sh STAGGER MANDIR COMPLETION
set -u
stagger=$1 mandir=$2 completion=$3
fail=0
bad() { echo "FAIL: $*"; fail=1; }

cmds=$("$stagger" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$cmds" ] || bad "no commands in stagger --help"
for page in stagger $(for c in $cmds; do echo "stagger-$c"; done); do
    f="$mandir/$page.1"
    [ -f "$f" ] || { bad "$page.1 missing (add it to man_commands in cli/meson.build)"; continue; }
    if command -v groff >/dev/null 2>&1; then
        w=$(groff -man -ww -z "$f" 2>&1)
        [ -z "$w" ] || bad "$page.1: groff warns: $w"
    fi
done
for c in $cmds; do
    f="$mandir/stagger-$c.1"
    [ -f "$f" ] || continue
    # Every option name in --help appears in the page (as roff text).
    for o in $("$stagger" "$c" --help | grep -oE '^  -[^ ]*( --[a-z-]+)?|^  --[a-z-]+' | tr -d ','); do
        r=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
        grep -q -- "$r" "$f" || bad "stagger-$c.1 lacks $o"
    done
    grep -q "stagger $c" "$mandir/stagger.1" || bad "stagger.1 does not list $c"
done

if command -v bash >/dev/null 2>&1; then
    complete_words() {  # words... -> the completions of the last one
        bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _stagger; echo "${COMPREPLY[*]}"' \
            sh "$completion" "$@"
    }
    [ "$(complete_words stagger pl)" = plan ] || bad "completion: 'stagger pl' gives '$(complete_words stagger pl)'"
    [ "$(complete_words stagger plan --ti)" = --time-limit ] || bad "completion: 'stagger plan --ti'"
    for c in $cmds; do
        for o in $("$stagger" "$c" --help | grep -oE '^  (-[a-z], )?--[a-z-]+' | sed 's/.*--/--/'); do
            case " $(complete_words stagger "$c" --) " in
            *" $o "*) ;;
            *) bad "completion: 'stagger $c --' lacks $o" ;;
            esac
        done
    done
fi
[ $fail -eq 0 ] && echo "man pages and completion: ok ($(echo $cmds | wc -w) commands)"
exit $fail
