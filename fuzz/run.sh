#!/usr/bin/env bash
# Runs every fuzz target (or those named) for RUNS executions each, on the one stable
# toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz use its nightly flags), with the seeds, and
# prints each target's closing lines for fuzz/RESULTS.md. Needs `cargo install cargo-fuzz
# --locked`. A crash stops that target: its input is in fuzz/artifacts/<target>/; fix it and
# keep the input in fuzz/regressions/<target>/ (tests/integration/fuzz_regressions.rs
# replays it on every `cargo test`).
set -euo pipefail
cd "$(dirname "$0")"
runs=${RUNS:-10000000}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls fuzz_targets | sed 's/\.rs$//'))
fi
mkdir -p logs
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "==> $target: $runs runs"
  if RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
      -runs="$runs" -print_final_stats=1 >"logs/$target.log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "logs/$target.log" | tail -1
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "logs/$target.log" || true
  else
    echo "$target FAILED: see fuzz/logs/$target.log and fuzz/artifacts/$target/"
    status=1
  fi
done
exit $status
