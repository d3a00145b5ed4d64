#!/usr/bin/env bash
# Builds VeritasFuzz with libFuzzer and AddressSanitizer on its own scratch path, then fuzzes
# each target for a bounded time, starting from its seed corpus (README "Fuzzing").
#
#   bash Tests/Fuzz/run.sh [TARGET...]      every target when none is named
#
# FUZZ_SECONDS   seconds of fuzzing per target (default 60; CI runs 40)
# FUZZ_SCRATCH   the scratch path (default .build-fuzz); what the fuzzer adds to a corpus goes
#                to $FUZZ_SCRATCH/corpus/TARGET, crashes to $FUZZ_SCRATCH/artifacts/TARGET/
# FUZZ_FLAGS     more libFuzzer flags, e.g. "-jobs=2 -workers=2" or "-only_ascii=1"
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
ALL=(token stream-path status-text tus range form)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")

started=$(date +%s)
# ld.gold warns once per ASan helper symbol ("Cannot export local symbol"); those are harmless.
swift build -c debug --product VeritasFuzz --scratch-path "$SCRATCH" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DVERITAS_FUZZ 2>&1 | grep -v "Cannot export local symbol" || true
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: the build failed" >&2; exit 1; }
BIN="$SCRATCH/debug/VeritasFuzz"
echo "fuzz: built in $(( $(date +%s) - started )) s"

failed=()
for target in "${TARGETS[@]}"; do
  seeds="Tests/Fuzz/Corpus/$target"
  [ -d "$seeds" ] || { echo "fuzz: no corpus $seeds (targets: ${ALL[*]})" >&2; exit 2; }
  grown="$SCRATCH/corpus/$target" artifacts="$SCRATCH/artifacts/$target/"
  mkdir -p "$grown" "$artifacts"
  max_len=4096
  [ "$target" != status-text ] || max_len=12000
  echo "fuzz: $target for ${SECONDS_EACH} s"
  # Swift's own crash reporter would hold the process after a failure; libFuzzer reports it.
  # shellcheck disable=SC2086
  if ! SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$BIN" "$target" \
      -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
      -artifact_prefix="$artifacts" -print_final_stats=1 ${FUZZ_FLAGS:-} "$grown" "$seeds" \
      > "$SCRATCH/$target.log" 2>&1; then
    failed+=("$target")
    grep -E "property failed|ERROR: |SUMMARY|Test unit written|ALARM|Fatal error" "$SCRATCH/$target.log" | head -20 >&2 || true
    echo "fuzz: $target FAILED (log $SCRATCH/$target.log); reproduce with: $BIN $target $artifacts<file>" >&2
  else
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$SCRATCH/$target.log" | tr '\n' ' ' || true
    echo
  fi
done
echo "fuzz: finished in $(( $(date +%s) - started )) s"
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failing targets: ${failed[*]}" >&2; exit 1; }
