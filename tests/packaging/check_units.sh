#!/usr/bin/env bash
# CTest "packaging: systemd units": systemd-analyze verify accepts the units as packaged,
# inside the unpacked package (so ExecStart= finds /usr/bin/inkan). Skipped (77) where systemd is
# not installed. Usage: check_units.sh BUILD_DIR
set -euo pipefail
deb="$1/packaging-test/inkan.deb"
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed"; exit 77; }
[ -e "$deb" ] || { echo "FAIL: $deb missing"; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
# The targets our units hang off (sysinit.target, timers.target, ...) come from the host's systemd;
# ours are never overwritten (-n).
cp -rn /lib/systemd/system/. "$root/lib/systemd/system/"
units=("$root"/lib/systemd/system/inkan.service "$root"/lib/systemd/system/inkan-crl.service
       "$root"/lib/systemd/system/inkan-crl.timer "$root"/lib/systemd/system/inkan-notify.service
       "$root"/lib/systemd/system/inkan-notify.timer)
out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root="$root" --man=no "${units[@]}" 2>&1) && rc=0 || rc=$?
echo "$out"
# verify exits non-zero on errors; anything it prints about our units is a finding as well.
if [ "$rc" -ne 0 ] || grep -q 'inkan' <<< "$out"; then
  echo "FAIL: systemd-analyze verify reported problems (exit $rc)"
  exit 1
fi
# The hardening, as systemd scores it (0 = most locked down, 10 = none; "OK" is below 3). A unit
# that loses its sandboxing by accident fails here.
level=$(systemd-analyze security --offline=true --root="$root" "${units[0]}" 2>&1 \
  | sed -n 's/.*Overall exposure level for inkan.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || { echo "FAIL: systemd-analyze security gave no exposure level"; exit 1; }
echo "inkan.service exposure level: $level (systemd-analyze security)"
awk -v l="$level" 'BEGIN { exit !(l <= 2.5) }' || { echo "FAIL: inkan.service exposure $level > 2.5"; exit 1; }
echo "PASS: systemd-analyze verify accepts ${#units[@]} units"
