#!/usr/bin/env bash
# CTest "packaging: lintian": no error, and every warning is one docs/operator-guide.md explains
# (section "Packaging notes", one tag per bullet with its reason). A new warning fails this test
# until it is fixed or documented. Usage: check_lintian.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
deb="$1/packaging-test/inkan.deb"
doc="$2/docs/operator-guide.md"
command -v lintian >/dev/null || { echo "FAIL: lintian is not installed (bash tools/setup.sh)"; exit 1; }
[ -e "$deb" ] || { echo "FAIL: $deb missing"; exit 1; }
out=$(lintian --tag-display-limit 0 --display-info "$deb" 2>&1 || true)
echo "$out"
fail=0
if grep -qE '^E: ' <<< "$out"; then echo "FAIL: lintian reports errors"; fail=1; fi
for tag in $(grep -E '^W: ' <<< "$out" | awk '{ print $3 }' | sort -u); do
  grep -q "\`$tag\`" "$doc" || { echo "FAIL: lintian warning $tag is not explained in docs/operator-guide.md"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "PASS: no lintian error; $(grep -cE '^W: ' <<< "$out" || true) warning(s), all documented"
exit "$fail"
