# Sourced first by every benchmark script: ROOT, and the helpers of bench/lib.
# shellcheck shell=bash
ROOT=$(dirname "$BENCH_DIR")
# shellcheck source=bench/lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=bench/lib/wrk.sh
source "$BENCH_DIR/lib/wrk.sh"
# shellcheck source=bench/lib/tinyscale.sh
source "$BENCH_DIR/lib/tinyscale.sh"
# shellcheck source=bench/lib/variants.sh
source "$BENCH_DIR/lib/variants.sh"
# shellcheck source=bench/lib/plot.sh
source "$BENCH_DIR/lib/plot.sh"
