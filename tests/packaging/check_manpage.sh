#!/usr/bin/env bash
# CTest "packaging: man page": inkan(1) in the package has a section for every subcommand the
# program offers, nested ones included (taken from the program's own --help, like the page).
# Usage: check_manpage.sh BUILD_DIR INKAN_BIN
set -euo pipefail
deb="$1/packaging-test/inkan.deb"
inkan="$2"
[ -e "$deb" ] || { echo "FAIL: $deb missing"; exit 1; }
page=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man1/inkan.1.gz 2>/dev/null | gzip -dc) \
  || { echo "FAIL: the package has no readable /usr/share/man/man1/inkan.1.gz"; exit 1; }

# Subcommands from CLI11's help: the lines under "Subcommands:", indented, name first.
subcommands() {
  "$inkan" "$@" --help | awk '/^Subcommands:/ { s = 1; next } s && /^[^ ]/ { s = 0 } s && /^  [a-z]/ { print $1 }'
}
fail=0 n=0
walk() {
  local sub
  for sub in $(subcommands "$@"); do
    n=$((n + 1))
    local full="inkan${*:+ $*} $sub"
    grep -qF ".SS \"$full\"" <<< "$page" || { echo "FAIL: the man page has no section for '$full'"; fail=1; }
    walk "$@" "$sub"
  done
}
walk
[ "$n" -ge 20 ] || { echo "FAIL: found only $n subcommands in inkan --help: did its format change?"; fail=1; }
grep -q '^\.TH INKAN "1"' <<< "$page" || { echo "FAIL: not a section 1 page"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS: the man page covers all $n subcommands"
exit "$fail"
