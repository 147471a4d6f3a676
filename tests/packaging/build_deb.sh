#!/usr/bin/env bash
# CTest fixture "packaging: deb": builds the Debian package from this build tree with CPack into
# BUILD/packaging-test/, as `cmake --workflow --preset package` does in build-package/.
# Usage: build_deb.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
out="$build/packaging-test"
rm -rf "$out"
mkdir -p "$out"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" > "$out/cpack.log" 2>&1 \
  || { cat "$out/cpack.log"; echo "FAIL: cpack could not build the package"; exit 1; }
deb=$(ls "$out"/inkan_*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { cat "$out/cpack.log"; echo "FAIL: cpack made no inkan_*_amd64.deb"; exit 1; }
ln -sf "$(basename "$deb")" "$out/inkan.deb"
echo "built $deb ($(stat -c %s "$deb") bytes)"
