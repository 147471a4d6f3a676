#!/usr/bin/env bash
# offline-bundle.sh: makes the one file an air-gapped Debian 12 machine needs to install inkan.
#
#   tools/offline-bundle.sh [--deb FILE] [--out DIR] [--cache DIR]
#
# On any connected Debian 12 (bookworm) amd64 machine, as root, from a clone of the repository.
# Writes OUT/inkan-offline-<version>-bookworm-amd64.tar (and a .sha256 beside it) holding:
#   debs/      the inkan .deb and every runtime dependency a minimal Debian 12 lacks
#   SHA256SUMS the checksum of every file, checked by install.sh before it installs anything
#   install.sh installs from debs/ alone, with no network (docs/operator-guide.md, section 1)
#   README.txt what to do with it
# The dependency closure is computed by apt inside a fresh `mmdebstrap --variant=minbase
# bookworm` root: never a hand-kept list. Build tools, browsers and test tools are refused.
#
# Options:
#   --deb FILE   package to bundle (default: build it with `cmake --workflow --preset package`)
#   --out DIR    where the tar goes (default: the current directory)
#   --cache DIR  where the minimal root's tarball is kept between runs
#                (default: /var/cache/inkan-bundle)
#   -h, --help   this text
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=packaging/minbase.sh
source "$repo/tools/packaging/minbase.sh"

say() { printf 'offline-bundle: %s\n' "$*" >&2; }
die() { printf 'offline-bundle: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

deb="" out="$PWD" cache=/var/cache/inkan-bundle
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) [ $# -ge 2 ] || die "--deb needs a file"; deb=$(realpath "$2"); shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a directory"; out="$2"; shift 2 ;;
    --cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "run as root: the minimal root is unpacked and entered with chroot"
[ "$(dpkg --print-architecture)" = amd64 ] || die "only amd64 bundles are made (this machine: $(dpkg --print-architecture))"
for tool in mmdebstrap chroot sha256sum dpkg-deb tar; do
  command -v "$tool" >/dev/null || die "$tool is missing (bash tools/setup.sh installs it)"
done
[ -d "$out" ] || die "--out $out is not a directory"
out=$(realpath "$out")

# 1. The package.
if [ -z "$deb" ]; then
  say "building the package: cmake --workflow --preset package (log: $repo/build-package/bundle-build.log)"
  mkdir -p "$repo/build-package"
  (cd "$repo" && cmake --workflow --preset package) > "$repo/build-package/bundle-build.log" 2>&1 \
    || { tail -n 20 "$repo/build-package/bundle-build.log" >&2; die "the package build failed (full log above)"; }
  deb=$(ls -t "$repo"/build-package/inkan_*_amd64.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || die "the build made no build-package/inkan_*_amd64.deb"
fi
[ -f "$deb" ] || die "no such package: $deb"
[ "$(dpkg-deb -f "$deb" Package 2>/dev/null)" = inkan ] || die "$deb is not an inkan package"
version=$(dpkg-deb -f "$deb" Version)
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || die "$deb is not built for amd64"
name="inkan-offline-$version-bookworm-amd64"
say "bundling $(basename "$deb") (version $version)"

work=$(mktemp -d /var/tmp/inkan-bundle.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 2. The dependency closure, as apt computes it for a minimal Debian 12.
tarball=$(minbase_tarball "$cache")
say "unpacking the minimal root"
unpack_root "$tarball" "$work/root"
cp "$deb" "$work/root/tmp/inkan.deb"
cp -L /etc/resolv.conf "$work/root/etc/resolv.conf"
say "apt-get update inside the minimal root"
chroot "$work/root" apt-get update -q > "$work/apt.log" 2>&1 \
  || { tail -n 20 "$work/apt.log" >&2; die "apt-get update failed inside the minimal root (network or mirror?)"; }
say "downloading the packages a minimal Debian 12 lacks (apt-get install --download-only)"
chroot "$work/root" env DEBIAN_FRONTEND=noninteractive apt-get install -q --yes --download-only \
    --no-install-recommends /tmp/inkan.deb >> "$work/apt.log" 2>&1 \
  || { tail -n 20 "$work/apt.log" >&2; die "apt could not resolve inkan's dependencies on bookworm"; }

# 3. The bundle directory.
bundle="$work/$name"
mkdir -p "$bundle/debs"
cp "$deb" "$bundle/debs/"
find "$work/root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp {} "$bundle/debs/" \;
# The guard the issue asks for: nothing that builds, browses or tests gets onto a CA host.
forbidden='(-dev|-dbg|-doc)$|^(gcc|g\+\+|cpp|clang|llvm|binutils|make|cmake|ninja-build|ccache|chromium|firefox|nodejs|npm|openjdk|default-jre|lintian|mmdebstrap|help2man|python3-pytest|catch2)'
bad=$(for f in "$bundle"/debs/*.deb; do dpkg-deb -f "$f" Package; done | grep -E "$forbidden" || true)
[ -z "$bad" ] || die "refusing to bundle build or test packages: $(echo $bad)"

cp "$repo/tools/packaging/install.sh" "$bundle/install.sh"
chmod 0755 "$bundle/install.sh"
cat > "$bundle/README.txt" <<TXT
inkan $version offline bundle for Debian 12 (bookworm) amd64, made $(date -u +%F).

  tar -xf $name.tar && cd $name && sudo sh install.sh

install.sh checks every file against SHA256SUMS, then installs from debs/ with no network.
Before that, compare the tar's SHA-256 with the value recorded when the bundle was made
(the .sha256 file made beside it). Then read /usr/share/doc/inkan/operator-guide.md.

Packages ($(ls "$bundle/debs" | wc -l)):
$(for f in "$bundle"/debs/*.deb; do printf '  %s %s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)"; done)
TXT
(cd "$bundle" && sha256sum install.sh README.txt debs/*.deb > SHA256SUMS)

# 4. One tar. The .debs are compressed already; a plain tar keeps `tar -tf` instant.
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner -cf "$work/$name.tar" "$name"
mv "$work/$name.tar" "$out/$name.tar"
(cd "$out" && sha256sum "$name.tar" > "$name.tar.sha256")
say "$(ls "$bundle/debs" | wc -l) packages, $(du -h "$out/$name.tar" | cut -f1)B: $out/$name.tar"
say "sha256: $(cut -d' ' -f1 "$out/$name.tar.sha256") (note it down; compare it where you unpack)"
printf '%s\n' "$out/$name.tar"
