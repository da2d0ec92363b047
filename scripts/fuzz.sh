#!/usr/bin/env bash
# Fuzz berth with cargo-fuzz (libFuzzer), each target for a set time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets (bodies in fuzz/targets.rs): parse, edits, ide, fixes. Default:
# all four, 60 s each. The seed corpus of each target is made from
# ../shared/corpus on first use (fuzz/corpus/TARGET, kept between runs);
# inputs that crash or time out land in fuzz/artifacts/TARGET. Copy a
# finding into fuzz/regressions/ so `cargo test --test fuzz_corpus` keeps
# checking it.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). It uses nightly
# compiler flags; on a stable toolchain RUSTC_BOOTSTRAP=1 enables them.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse edits ide fixes)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz --locked" >&2
  exit 2
fi
export RUSTC_BOOTSTRAP=1

# The largest input per target: the ide target asks every request at
# every offset, so its inputs stay small.
max_len() {
  case $1 in
    parse) echo 16384 ;;
    edits) echo 8192 ;;
    ide) echo 1024 ;;
    fixes) echo 4096 ;;
    *) echo 4096 ;;
  esac
}

seed() {
  local t=$1 dir=fuzz/corpus/$1 limit
  limit=$(max_len "$t")
  [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && return
  mkdir -p "$dir"
  if [ -d ../shared/corpus ]; then
    for f in ../shared/corpus/*; do
      [ -f "$f" ] || continue
      [ "$(stat -c %s "$f")" -le "$limit" ] && cp "$f" "$dir/"
    done
  fi
  cp fuzz/regressions/* "$dir/" 2>/dev/null || true
  echo "seeded $dir with $(ls "$dir" | wc -l) files"
}

summary=()
status=0
for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p "fuzz/artifacts/$t"
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  log=$(mktemp)
  echo "== $t: ${secs}s"
  cargo fuzz run -O "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || status=1
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  after=$(ls "fuzz/artifacts/$t" | wc -l)
  found=$((after - before))
  [ "$found" -gt 0 ] && status=1
  grep -E 'ERROR|panicked|Test unit written' "$log" | head -5 || true
  summary+=("$t: ${secs}s, $execs executions, $found new crash/timeout inputs")
  rm -f "$log"
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
