#!/usr/bin/env bash
# Runs every fuzz target in turn, one process at a time, for SECONDS each (default 600).
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz; on a stable toolchain RUSTC_BOOTSTRAP=1 lets it use the nightly flags.
set -u
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(response fault request wsdl)
export RUSTC_BOOTSTRAP=1
mkdir -p logs
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t: ${seconds}s, started $(date -u +%FT%TZ)"
    cargo fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        >"logs/$t.log" 2>&1
    echo "== $t: exit $?, $(grep -E '^stat::number_of_executed_units' "logs/$t.log" | tail -1)"
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "logs/$t.log" | head -5
done
