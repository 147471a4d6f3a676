#!/usr/bin/env bash
# Runs one libFuzzer target on its corpus for SECONDS: tests/fuzz/run.sh fuzz_lint 300
# Build first: CC=clang-14 CXX=clang++-14 cmake --preset fuzz && cmake --build build-fuzz --target NAME
# New inputs go to a scratch directory (FUZZ_WORK, default /tmp/inkan-fuzz/NAME), never into the
# repo; copy a crash input into tests/fuzz/corpus/NAME/ by hand once it is minimised and fixed.
set -euo pipefail
name=${1:?usage: run.sh NAME SECONDS}
seconds=${2:?usage: run.sh NAME SECONDS}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${FUZZ_BUILD:-$root/build-fuzz}/tests/fuzz/$name
work=${FUZZ_WORK:-/tmp/inkan-fuzz/$name}
[[ -x $bin ]] || { echo "no $bin: build it with the fuzz preset" >&2; exit 2; }
mkdir -p "$work/corpus" "$work/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The first corpus directory receives new inputs; the repo's seeds are read only.
# -max_len 65536: CSRs and certificates need more than libFuzzer's default of 4096 bytes.
"$bin" "$work/corpus" "$root/tests/fuzz/corpus/$name" -max_total_time="$seconds" \
  -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" 2>&1 | tee "$work/log.txt"
