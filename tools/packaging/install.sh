#!/bin/sh
# install.sh: installs inkan from this offline bundle on a Debian 12 (bookworm) amd64 machine,
# with no network. Made by tools/offline-bundle.sh; run as root from the unpacked bundle:
#   sh install.sh
# 1. checks every file against SHA256SUMS (and that no unlisted package sits beside them);
# 2. leaves out packages the machine already has at the same or a newer version;
# 3. installs the rest with apt-get from these files only (no package list, no download);
# 4. marks the dependencies as automatically installed, so `apt-get autoremove` takes them
#    away again after `apt-get remove inkan`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
  -h|--help)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (see --help)" ;;
esac

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages)"
. /etc/os-release 2>/dev/null || true
[ "${VERSION_CODENAME:-}" = bookworm ] || die "this bundle is for Debian 12 (bookworm); this machine is ${PRETTY_NAME:-unknown}"
[ "$(dpkg --print-architecture)" = amd64 ] || die "this bundle is for amd64; this machine is $(dpkg --print-architecture)"

cd "$here"
[ -f SHA256SUMS ] || die "SHA256SUMS is missing: the bundle is incomplete"
say "verifying $(wc -l < SHA256SUMS) files against SHA256SUMS"
sha256sum --check --strict --quiet SHA256SUMS || die "checksum mismatch: the bundle is damaged or was changed; do not install it"
for f in debs/*.deb; do
  grep -q "  $f\$" SHA256SUMS || die "$f is not listed in SHA256SUMS; refusing to install an unverified package"
done

# Only what the machine lacks: a package already there at this version or newer stays as it is
# (apt would otherwise downgrade or reinstall it).
selected=""
skipped=0
for f in debs/*.deb; do
  pkg=$(dpkg-deb -f "$f" Package)
  ver=$(dpkg-deb -f "$f" Version)
  have=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$pkg" 2>/dev/null || true)
  case "$have" in
    ii\ *)
      if dpkg --compare-versions "${have#* }" ge "$ver"; then
        skipped=$((skipped + 1)); continue
      fi ;;
  esac
  selected="$selected $here/$f"  # absolute: apt refuses relative paths of local packages
done
[ -n "$selected" ] || { say "nothing to do: every package is already installed at this version or newer"; exit 0; }
say "installing $(echo $selected | wc -w) packages ($skipped already present)"

# The bundle's files are the only source: with no sources.list apt knows no remote archive, so
# it can only copy the local files (no --no-download: apt counts that copy as a download).
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086  # $selected is a list of file names without spaces
apt-get install --yes --no-install-recommends \
  -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null \
  -o APT::Sandbox::User=root -o Dpkg::Use-Pty=0 $selected \
  || die "apt-get could not install the bundle (see its messages above); nothing was downloaded"

deps=""
for f in $selected; do
  pkg=$(dpkg-deb -f "$f" Package)
  [ "$pkg" = inkan ] || deps="$deps $pkg"
done
# shellcheck disable=SC2086
[ -z "$deps" ] || apt-mark auto $deps >/dev/null

say "done: $(inkan --version | head -n 1) in /usr/bin/inkan"
say "next: docs in /usr/share/doc/inkan/operator-guide.md, section 1 (first setup as the inkan user)"
