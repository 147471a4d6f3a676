#!/usr/bin/env bash
# offline_install.sh: the clean-room acceptance test of issue 15, run by hand (minutes, needs a
# Debian mirror for the minimal root and the dependency closure; not part of ctest).
#
#   tests/packaging/offline_install.sh [--bundle TAR] [--old-bundle TAR] [--cache DIR]
#
# 1. Fresh install. A minimal Debian 12 root (mmdebstrap --variant=minbase, cached in CACHE),
#    the bundle copied in, then inside it with no network (unshare --net + chroot; the script
#    shows there is no route): install.sh, and as the inkan user `inkan init`, `tenant add`,
#    `issue`, `doctor`. Shows that no compiler, browser or -dev package got installed; prints the
#    bundle's size and the install time.
# 2. Upgrade, in another fresh root: the old bundle (built by build_old_package.sh: version 0.0.1,
#    one migration fewer), a CA and certificates, then the new bundle. Shows the database
#    migrated, the pre-migration backup written, doctor clean, the old certificates listed and
#    exportable. Then `apt-get remove` and `purge`: the data directory is still there.
# Without --bundle / --old-bundle both are made here (tools/offline-bundle.sh). Run as root.
# Figures of a run: docs/operator-guide.md, "Install on a server".
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../tools/packaging/minbase.sh
source "$repo/tools/packaging/minbase.sh"

bundle="" old_bundle="" cache=/var/cache/inkan-test
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle=$(realpath "$2"); shift 2 ;;
    --old-bundle) old_bundle=$(realpath "$2"); shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run as root (chroot, unshare)" >&2; exit 2; }

step() { printf '\n=== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
work=$(mktemp -d /var/tmp/inkan-cleanroom.XXXXXX)
trap 'rm -rf "$work"' EXIT

# inroot ROOT CMD...: runs CMD in ROOT with no network: a new network namespace holds only a
# down loopback, so there is no interface and no route. A private /proc for the tools inside.
inroot() {
  local root="$1"; shift
  unshare --net --mount --pid --fork --mount-proc="$root/proc" \
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"
}
# as_inkan ROOT CMD...: CMD as the inkan user with the packaged data directory.
as_inkan() {
  local root="$1"; shift
  inroot "$root" runuser -u inkan -- env INKAN_DIR=/var/lib/inkan INKAN_PASSPHRASE_FILE=/tmp/inkan.pass "$@"
}
packages() { inroot "$1" dpkg-query -W -f='${Package}\n' | sort; }
forbidden='(-dev|-dbg)$|^(gcc|g\+\+|cpp|clang|llvm|binutils|make|cmake|ninja-build|chromium|firefox|nodejs|npm|openjdk|lintian)'

show_no_network() {
  local root="$1"
  echo "interfaces inside:"; inroot "$root" cat /proc/net/dev | tail -n +3 | cut -d: -f1
  local routes
  routes=$(inroot "$root" cat /proc/net/route | tail -n +2 | wc -l)
  echo "routes inside: $routes (/proc/net/route)"
  [ "$routes" -eq 0 ] || fail "the root has a route"
  if inroot "$root" bash -c 'exec 3<>/dev/tcp/151.101.2.132/80' 2>"$work/tcp.err"; then
    fail "a TCP connection to deb.debian.org's address succeeded inside the root"
  fi
  echo "TCP connect to 151.101.2.132:80 (deb.debian.org) inside: $(tr -d '\n' < "$work/tcp.err" | sed 's/.*: //')"
}
new_root() {
  local root="$work/$1"
  unpack_root "$(minbase_tarball "$cache")" "$root"
  rm -f "$root/etc/resolv.conf"  # nothing inside could resolve a name anyway
  echo "$root"
}
passphrase() {  # a test passphrase file the inkan user can read, as a TTY prompt would be
  printf 'clean-room passphrase %s\n' "$RANDOM$RANDOM" > "$1/tmp/inkan.pass"
  inroot "$1" chown inkan:inkan /tmp/inkan.pass
  chmod 0600 "$1/tmp/inkan.pass"
}
# install_bundle ROOT TAR: unpacks the bundle in the root and runs install.sh with no network;
# leaves the seconds install.sh took in $work/install.seconds.
install_bundle() {
  local root="$1" tar="$2" name t0 t1
  name=$(basename "$tar" .tar)
  cp "$tar" "$root/root/"
  inroot "$root" tar -C /root -xf "/root/$name.tar"
  t0=$(date +%s.%N)
  inroot "$root" sh "/root/$name/install.sh" > "$work/install.log" 2>&1 \
    || { cat "$work/install.log"; fail "install.sh failed"; }
  t1=$(date +%s.%N)
  grep -E '^install.sh:' "$work/install.log"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' > "$work/install.seconds"
}

# --- The bundles -------------------------------------------------------------------------------
if [ -z "$bundle" ]; then
  step "making the bundle (tools/offline-bundle.sh)"
  bundle=$("$repo/tools/offline-bundle.sh" --out "$work" --cache "$cache")
fi
if [ -z "$old_bundle" ]; then
  step "making the old bundle (build_old_package.sh + offline-bundle.sh)"
  old_deb=$("$repo/tests/packaging/build_old_package.sh" HEAD "$cache")
  mkdir -p "$work/old"
  old_bundle=$("$repo/tools/offline-bundle.sh" --deb "$old_deb" --out "$work/old" --cache "$cache")
fi

# --- 1. Fresh install ---------------------------------------------------------------------------
step "1. fresh install into a minimal Debian 12 root with no network"
root=$(new_root fresh)
packages "$root" > "$work/before.txt"
show_no_network "$root"
install_bundle "$root" "$bundle"
install_s=$(cat "$work/install.seconds")
echo "install.sh took $install_s s"
packages "$root" > "$work/after.txt"
added=$(comm -13 "$work/before.txt" "$work/after.txt")
echo "packages added ($(echo "$added" | wc -l)): $(echo $added)"
bad=$(grep -E "$forbidden" <<< "$added" || true)
[ -z "$bad" ] || fail "a build, browser or -dev package was installed: $bad"
echo "no compiler, browser or -dev package: checked against /$forbidden/"

inroot "$root" getent passwd inkan || fail "no inkan user"
[ "$(inroot "$root" stat -c '%a %U:%G' /var/lib/inkan)" = "700 inkan:inkan" ] || fail "/var/lib/inkan is not 0700 inkan:inkan"
echo "/var/lib/inkan: $(inroot "$root" stat -c '%a %U:%G' /var/lib/inkan)"
inroot "$root" inkan --version

step "1b. first setup as the inkan user"
passphrase "$root"
as_inkan "$root" inkan init --name "Clean Room CA" --crl-url http://ca.example/pki/inkan.crl || fail "init"
as_inkan "$root" inkan tenant add acme --name "Acme Care Center" || fail "tenant add"
as_inkan "$root" inkan issue --tenant acme --cn client300 --out /tmp/out || fail "issue"
as_inkan "$root" inkan doctor || fail "doctor"
inroot "$root" ls -l /var/lib/inkan /tmp/out

# --- 2. Upgrade, remove, purge -------------------------------------------------------------------
step "2. upgrade: the old bundle first, with a CA and certificates"
root=$(new_root upgrade)
show_no_network "$root" > /dev/null
install_bundle "$root" "$old_bundle"
inroot "$root" inkan --version | head -n 1
passphrase "$root"
as_inkan "$root" inkan init --name "Upgrade CA" --crl-url http://ca.example/pki/inkan.crl > /dev/null || fail "old init"
as_inkan "$root" inkan tenant add acme --name "Acme Care Center" > /dev/null || fail "old tenant add"
for cn in term1 term2; do
  as_inkan "$root" inkan issue --tenant acme --cn "$cn" --out /tmp/out > /dev/null || fail "old issue $cn"
done
as_inkan "$root" inkan list --format csv > "$work/old-list.csv" || fail "old list"
serials=$(tail -n +2 "$work/old-list.csv" | cut -d, -f1)
echo "certificates made by the old inkan: $(echo $serials)"
[ "$(echo "$serials" | wc -w)" -eq 2 ] || fail "expected 2 certificates from the old inkan"

step "2b. the new bundle over it, still with no network"
install_bundle "$root" "$bundle"
upgrade_s=$(cat "$work/install.seconds")
inroot "$root" inkan --version | head -n 1
as_inkan "$root" inkan list > "$work/new-list.txt" 2> "$work/migrate.err" || { cat "$work/migrate.err"; fail "list after upgrade"; }
cat "$work/migrate.err"
grep -q 'pre-migration' "$work/migrate.err" || fail "the first command after the upgrade did not say it wrote a backup"
backup=$(inroot "$root" sh -c 'ls /var/lib/inkan/*.pre-migration-*.inkanbak' | head -n 1)
[ -n "$backup" ] || fail "no pre-migration backup in /var/lib/inkan"
echo "backup: $(inroot "$root" stat -c '%a %U %s bytes %n' "$backup")"
[ "$(inroot "$root" stat -c '%a %U' "$backup")" = "600 inkan" ] || fail "the backup is not 0600 inkan"
as_inkan "$root" inkan doctor > "$work/doctor.txt" || { cat "$work/doctor.txt"; fail "doctor after upgrade"; }
cat "$work/doctor.txt"
grep -q 'pre-migration' "$work/doctor.txt" || fail "doctor does not mention the pre-migration backup"
for s in $serials; do
  grep -q "$s" "$work/new-list.txt" || fail "certificate $s is not listed after the upgrade"
  as_inkan "$root" inkan export "$s" --out "/tmp/out/$s.zip" > /dev/null || fail "export $s after the upgrade"
done
echo "old certificates listed and exported after the upgrade: $(echo $serials)"
as_inkan "$root" inkan restore "$backup" --dir /tmp/restored > /dev/null || fail "the pre-migration backup does not restore"
as_inkan "$root" inkan --dir /tmp/restored doctor > /dev/null || fail "doctor on the restored backup"
echo "the pre-migration backup restores and passes doctor"

step "2c. remove, then purge: the data directory stays"
inroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get remove --yes -q inkan 2>&1 | grep -E '^(Removing|inkan:)' || true
inroot "$root" test -f /var/lib/inkan/inkan.db || fail "remove deleted the database"
inroot "$root" dpkg --purge inkan 2>&1 | grep -E '^(Purging|inkan:|  )' || true
inroot "$root" test -f /var/lib/inkan/inkan.db || fail "purge deleted the database"
inroot "$root" test ! -e /etc/inkan/inkan.conf || fail "purge left the conffile"
inroot "$root" test ! -e /usr/bin/inkan || fail "remove left /usr/bin/inkan"
echo "after purge: $(inroot "$root" ls /var/lib/inkan | tr '\n' ' ')"

step "figures"
size=$(stat -c %s "$bundle")
printf 'bundle:        %s (%d bytes, %s MiB, %d packages)\n' "$(basename "$bundle")" "$size" \
  "$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')" "$(tar -tf "$bundle" | grep -c '\.deb$')"
printf 'install time:  %s s (install.sh in the minimal root, fresh install)\n' "$install_s"
printf 'upgrade time:  %s s (install.sh over the old bundle)\n' "$upgrade_s"
echo "PASS"
