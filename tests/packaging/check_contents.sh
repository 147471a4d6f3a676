#!/usr/bin/env bash
# CTest "packaging: contents": the package holds the expected paths with the expected modes and
# owners, the maintainer scripts and the conffile, a stripped binary, and Depends computed by
# dpkg-shlibdeps. Usage: check_contents.sh BUILD_DIR
set -euo pipefail
deb="$1/packaging-test/inkan.deb"
[ -e "$deb" ] || { echo "FAIL: $deb missing (the 'packaging: deb' fixture did not run)"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }

listing=$(dpkg-deb --contents "$deb")
# mode owner path: every file we promise, and nothing owned by anyone but root.
expect() {
  local mode="$1" path="$2"
  if ! awk -v m="$mode" -v p="$path" '$1 == m && $2 == "root/root" && $6 == p { found = 1 } END { exit !found }' <<< "$listing"; then
    bad "expected $mode root/root $path; the package has: $(grep -F " $path" <<< "$listing" || echo nothing)"
  fi
}
expect -rwxr-xr-x ./usr/bin/inkan
expect -rw-r--r-- ./lib/systemd/system/inkan.service
expect -rw-r--r-- ./lib/systemd/system/inkan-crl.service
expect -rw-r--r-- ./lib/systemd/system/inkan-crl.timer
expect -rw-r--r-- ./lib/systemd/system/inkan-notify.service
expect -rw-r--r-- ./lib/systemd/system/inkan-notify.timer
expect -rw-r--r-- ./etc/inkan/inkan.conf
expect -rw-r--r-- ./usr/share/doc/inkan/copyright
expect -rw-r--r-- ./usr/share/doc/inkan/changelog.gz
expect -rw-r--r-- ./usr/share/doc/inkan/operator-guide.md
expect -rw-r--r-- ./usr/share/man/man1/inkan.1.gz
awk '$2 != "root/root" { print; n++ } END { exit n > 0 }' <<< "$listing" > /dev/null \
  || bad "entries not owned by root/root: $(awk '$2 != "root/root"' <<< "$listing")"
# State is made by postinst for the inkan user, never shipped: dpkg would own (and remove) it.
! grep -q '\./var/lib/inkan' <<< "$listing" || bad "the package ships /var/lib/inkan; postinst must create it"
! grep -q '\./etc/inkan/passphrase' <<< "$listing" || bad "the package ships a passphrase file"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb --control "$deb" "$work/control"
for s in postinst prerm postrm; do
  [ "$(stat -c %a "$work/control/$s")" = 755 ] || bad "maintainer script $s is not 0755"
done
# CPack marks no conffile by itself.
grep -qx /etc/inkan/inkan.conf "$work/control/conffiles" || bad "/etc/inkan/inkan.conf is not a conffile"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libbotan-2-19 libssl3 libsqlite3-0 libzip4 libcpp-httplib0.11 libpq5 libc6 passwd; do
  grep -q "\b$lib\b" <<< "$depends" || bad "Depends lacks $lib: $depends"
done
# The PostgreSQL server is the operator's (several nodes) or the tests' (a throwaway one), never
# the package's: only the client library libpq5 is a dependency.
! grep -qE '\bpostgresql(-[0-9]+)?\b' <<< "$depends" || bad "Depends names a PostgreSQL server: $depends"
grep -q '(>=' <<< "$depends" || bad "Depends carries no versions: not from dpkg-shlibdeps? $depends"

dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" ./usr/bin/inkan
if readelf -S "$work/usr/bin/inkan" | grep -qE '\.(debug_info|symtab)\b'; then
  bad "/usr/bin/inkan is not stripped"
fi
# The binary reports what it runs with (version line first: help2man reads it).
version=$(dpkg-deb -f "$deb" Version)
"$work/usr/bin/inkan" --version > "$work/version.txt"
head -n 1 "$work/version.txt" | grep -qx "inkan $version" || bad "inkan --version does not start with 'inkan $version': $(head -n 1 "$work/version.txt")"
for lib in Botan OpenSSL SQLite commit; do
  grep -qi "$lib" "$work/version.txt" || bad "inkan --version does not name $lib"
done

echo "Depends: $depends"
[ "$fail" -eq 0 ] && echo "PASS: $(wc -l <<< "$listing") entries, modes, conffile, scripts, stripped, Depends"
exit "$fail"
