# Sourced by tools/offline-bundle.sh and tests/packaging/offline_install.sh: a minimal Debian 12
# root (mmdebstrap --variant=minbase: Essential and Priority: required packages only), the
# smallest system an operator can install. Built once and cached as a tarball, because
# mmdebstrap takes one to two minutes and downloads about 40 MB.

# The archive areas a bookworm machine normally uses; security updates included, so the closure
# the bundle carries matches what such a machine would install.
INKAN_BOOKWORM_SOURCES=(
  "deb http://deb.debian.org/debian bookworm main"
  "deb http://deb.debian.org/debian bookworm-updates main"
  "deb http://deb.debian.org/debian-security bookworm-security main"
)

# minbase_tarball CACHE_DIR [MAX_AGE_DAYS]: prints the path of a cached minbase tarball, making
# it first when missing or older than MAX_AGE_DAYS (default 7: point releases and security
# updates move on). Progress goes to stderr.
minbase_tarball() {
  local cache="$1" max_age="${2:-7}" tar
  tar="$cache/bookworm-minbase-amd64.tar"
  mkdir -p "$cache"
  if [ -s "$tar" ] && [ -z "$(find "$tar" -mtime +"$max_age" 2>/dev/null)" ]; then
    echo "minbase: using cached $tar" >&2
  else
    command -v mmdebstrap >/dev/null || { echo "error: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; return 1; }
    echo "minbase: building a minimal Debian 12 root with mmdebstrap (1-2 minutes) ..." >&2
    rm -f "$tar.part"
    mmdebstrap --quiet --variant=minbase --architecture=amd64 --format=tar bookworm "$tar.part" \
      "${INKAN_BOOKWORM_SOURCES[@]}" >&2 || { rm -f "$tar.part"; echo "error: mmdebstrap failed" >&2; return 1; }
    mv "$tar.part" "$tar"
  fi
  printf '%s\n' "$tar"
}

# unpack_root TARBALL DIR: a fresh root from the cached tarball (device nodes included: root only).
unpack_root() {
  mkdir -p "$2"
  tar -C "$2" -xpf "$1"
}
