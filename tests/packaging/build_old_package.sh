#!/usr/bin/env bash
# build_old_package.sh: a stand-in for "the previous release" for the upgrade test: the package
# built from REF (default HEAD) with a lower version (0.0.1) and without the newest migration in
# schemas/sql, so its databases have an older schema that the current inkan must migrate.
# Prints the path of the .deb. Usage: build_old_package.sh [REF] [OUT_DIR]
# The build reuses ccache, so it costs minutes only the first time.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ref="${1:-HEAD}"
out="${2:-/var/cache/inkan-test}"
# Inside the repository's ignored build-* space: the same relative paths as build-package/, so
# ccache (base_dir) serves nearly every object from the normal build.
src="$repo/build-old-package/src"
mkdir -p "$out" "$repo/build-old-package"

git -C "$repo" worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
git -C "$repo" worktree prune
git -C "$repo" worktree add --detach "$src" "$ref" >&2
trap 'git -C "$repo" worktree remove --force "$src" >/dev/null 2>&1 || true' EXIT

newest=$(ls "$src"/schemas/sql/*.sql | sort | tail -n 1)
echo "old package: $ref without $(basename "$newest"), version 0.0.1" >&2
rm "$newest"
sed -i -E 's/^project\(inkan VERSION [0-9.]+/project(inkan VERSION 0.0.1/' "$src/CMakeLists.txt"
grep -q 'project(inkan VERSION 0.0.1' "$src/CMakeLists.txt" || { echo "error: cannot set the old version" >&2; exit 1; }
(cd "$src" && cmake --workflow --preset package) > "$out/old-package-build.log" 2>&1 \
  || { tail -n 30 "$out/old-package-build.log" >&2; echo "error: the old package did not build" >&2; exit 1; }
deb=$(ls "$src"/build-package/inkan_0.0.1_amd64.deb)
cp "$deb" "$out/"
echo "$out/$(basename "$deb")"
