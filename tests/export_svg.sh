#!/bin/sh
# End-to-end tests of `stagger export --to svg` and `--to html`, run from
# the repository root:
#
#   sh tests/export_svg.sh build/cli/stagger
#
# Plans the company (day cycle) and week-cycle examples, exports each as
# a picture and as a report page, and checks: exit 0, a document of the
# right kind, as many link charts as links (at most 40), the same bytes on
# stdout as with -o, no reference to anything outside the file, and --
# when xmllint is installed -- that the svg and the page are well-formed
# XML (`xmllint --noout`) and that libxml2's HTML parser reports nothing
# but the HTML5 and SVG element names it does not know (`xmllint --html
# --noout`).  Without xmllint those checks are skipped, saying so.  Then
# an export without the fleet: exit 2, nothing written.
#
# Prints one TAP line per check; exits 1 when any failed.  POSIX sh.
stagger=${1:?usage: export_svg.sh STAGGER}
limit=${E2E_TIME_LIMIT:-20s}

. "$(dirname "$0")/tap.sh"
tap_begin export-svg

# check DESCRIPTION CMD...: ok when CMD succeeds.
have_xmllint=false
if command -v xmllint >/dev/null 2>&1; then
    have_xmllint=true
else
    echo "# xmllint is not installed: the well-formedness checks are skipped" \
         "(install libxml2-utils to run them)"
fi

# The messages of libxml2's HTML parser (an HTML 4 parser) other than
# "Tag svg invalid" and the like, which it says of every HTML5 or SVG
# element name.
html_problems() {
    xmllint --html --noout "$1" 2>&1 |
        grep -E ': HTML parser (error|warning) : ' |
        grep -Ev ': Tag [A-Za-z]+ invalid$'
}

for ex in company week-cycle; do
    fleet=examples/$ex.yaml
    sched=$tmp/$ex.schedule.yaml
    run plan-$ex "$stagger" plan "$fleet" -o "$sched" --time-limit "$limit" --seed 7
    if [ "$rc" -gt 1 ] || [ ! -s "$sched" ]; then
        not_ok "$ex: plan wrote a schedule (exit $rc)"
        show "$tmp/$name.err"
        continue
    fi
    ok "$ex: plan wrote a schedule"
    links=$(grep -c '^  - { name: .*capacity: ' "$sched")
    [ "$links" -gt 40 ] && links=40

    for to in svg html; do
        out=$tmp/$ex.$to
        run export-$ex-$to "$stagger" export "$sched" --to $to -o "$out"
        expect_rc 0 "$ex: export --to $to"
        if [ ! -s "$out" ]; then
            not_ok "$ex: export --to $to wrote $out"
            continue
        fi
        case $to in
        svg) check "$ex: the svg starts with an XML declaration and <svg" \
                 sh -c 'head -n 2 "$1" | grep -q "^<svg xmlns=\"http://www.w3.org/2000/svg\""' \
                 sh "$out" ;;
        html) check "$ex: the page starts with <!DOCTYPE html>" \
                  sh -c 'head -n 1 "$1" | grep -q "^<!DOCTYPE html>$"' sh "$out" ;;
        esac
        charts=$(grep -o 'class="link-chart"' "$out" | wc -l)
        if [ "$charts" -eq "$links" ]; then
            ok "$ex: $to has one chart per link ($links)"
        else
            not_ok "$ex: $to has one chart per link ($charts charts, $links links)"
        fi
        if grep -Eq '<script|<img|<link |@import|url\(|xlink:href|href="(https?|file|data):' "$out"; then
            not_ok "$ex: $to refers to nothing outside itself"
            grep -Eo '.{0,30}(<script|<img|<link |@import|url\(|xlink:href|href="(https?|file|data):).{0,30}' "$out" | head -n 5 | sed 's/^/#   /'
        else
            ok "$ex: $to refers to nothing outside itself"
        fi

        run stdout-$ex-$to "$stagger" export "$sched" --to $to
        if [ "$rc" -eq 0 ] && cmp -s "$tmp/$name.out" "$out"; then
            ok "$ex: $to on stdout is the same as with -o"
        else
            not_ok "$ex: $to on stdout is the same as with -o (exit $rc)"
            show "$tmp/$name.err"
        fi

        if ! $have_xmllint; then
            skip "$ex: $to is well-formed XML" "xmllint not installed"
            [ $to = html ] && skip "$ex: html parses as HTML" "xmllint not installed"
            continue
        fi
        if xmllint --noout "$out" 2>"$tmp/xmllint.err"; then
            ok "$ex: $to is well-formed XML (xmllint --noout)"
        else
            not_ok "$ex: $to is well-formed XML (xmllint --noout)"
            show "$tmp/xmllint.err"
        fi
        if [ $to = html ]; then
            html_problems "$out" >"$tmp/html.err"
            if [ -s "$tmp/html.err" ]; then
                not_ok "$ex: html parses as HTML (xmllint --html --noout)"
                show "$tmp/html.err"
            else
                ok "$ex: html parses as HTML (xmllint --html --noout)"
            fi
        fi
    done
done

# The checker of the HTML parser's messages sees a broken page.
if $have_xmllint; then
    printf '<!DOCTYPE html>\n<html><head><title>x</title></head><body><p><b>x</p></i>a & b</body></html>\n' >"$tmp/broken.html"
    if [ -n "$(html_problems "$tmp/broken.html")" ]; then
        ok "a broken page is reported by the HTML check"
    else
        not_ok "a broken page is reported by the HTML check"
    fi
fi

# Without the fleet there is nothing to draw: exit 2, nothing written.
sched=$tmp/company.schedule.yaml
if [ -s "$sched" ]; then
    sed 's/^fleet: { file: [^,]*,/fleet: { file: no-such-fleet.yaml,/' "$sched" >"$tmp/nofleet.yaml"
    for to in svg html; do
        run nofleet-$to "$stagger" export "$tmp/nofleet.yaml" --to $to -o "$tmp/nofleet.$to"
        expect_rc 2 "export --to $to without the fleet fails"
        if [ -e "$tmp/nofleet.$to" ]; then
            not_ok "export --to $to without the fleet writes nothing"
        else
            ok "export --to $to without the fleet writes nothing"
        fi
        if grep -q 'fleet' "$tmp/$name.err"; then
            ok "export --to $to without the fleet says the fleet is needed"
        else
            not_ok "export --to $to without the fleet says the fleet is needed"
            show "$tmp/$name.err"
        fi
    done
fi

echo "1..$n"
if [ "$fails" -ne 0 ]; then
    echo "# $fails of $n checks failed"
    exit 1
fi
exit 0
