#!/usr/bin/env bash
# Regenerates berth's offline catalog of base images,
# src/model/catalog/data.rs, from the official images' own sources.
#
# What it does:
#   1. brings each source repository below to its pinned commit: a bare
#      clone in the cache directory (cloned on first use, fetched when the
#      pinned commit is missing), or an existing checkout given with
#      --checkouts;
#   2. writes a manifest (repository, git directory, commit) for the
#      generator;
#   3. runs crates/berth-catalog, which reads official-images' library
#      files at the revisions in LIBRARY_REVS, evaluates the Dockerfiles
#      with berth's model, and writes data.rs with the sources and their
#      commits in SOURCES.
#
# Usage: scripts/gen-image-catalog.sh [--cache DIR] [--checkouts DIR] [--out FILE]
#   --cache DIR      where clones are kept
#                    (default ${XDG_CACHE_HOME:-$HOME/.cache}/berth-catalog)
#   --checkouts DIR  use existing clones instead: DIR/<owner>+<name> (a work
#                    tree, a bare repository, or one holding a bare `repo`)
#   --out FILE       default src/model/catalog/data.rs
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/berth-catalog"
checkouts=""
out="$root/src/model/catalog/data.rs"

while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --checkouts) checkouts="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "gen-image-catalog: unknown argument $1" >&2; exit 2 ;;
  esac
done

# owner/name and the commit the catalog is generated from.
SOURCES=(
  "docker-library/official-images 37079fb336f572a88700cf32e5e1f6be54a04e8f"
  "docker-library/buildpack-deps 8330ca1d2319b779c8b7a8aa64bb40dbe568e1e2"
  "docker-library/busybox 9c2087811429374737832a4c936fc411c1b4a22b"
  "docker-library/docker 3289af88086d67e6f0bfebfa0617541a0f574d96"
  "docker-library/golang 7c8c182bfc19ee3169d0596ae63917d2c7166f94"
  "docker-library/httpd 9b63b37c9be3b42d16b924ebb40af3cc40793119"
  "docker-library/openjdk da2d75fdafc1da23b6c86e3bea2c2f63aacc9170"
  "docker-library/php 445bf414f1d5866f7aef715f1203eae043710070"
  "docker-library/postgres 6edb0a8c4def40c371514b34aef9037ec82d9110"
  "docker-library/python 4f07059567fa61c80397126e8063dbbde011b794"
  "docker-library/rabbitmq 9193c1de6d32046e0c1132841a7a4995b0dc32e0"
  "docker-library/redis e92049967d6baa9b4b3d6fd950553e6458e61f13"
  "docker-library/ruby d55e25ae709885250a4e9718c27a09f1e963ca79"
  "redis/docker-library-redis e5650da99bb377b2ed4f9f1ef993ff24729b1c16"
  "nodejs/docker-node f27d936f7d7ccdeec25cd2de33584c1a841f561d"
  "nginx/docker-nginx 0d7f4380c735af5009aa364e27fafecd958fd4fa"
  "rust-lang/docker-rust 7668ee290612ac3ac42dbfcbdfae75120263d2c9"
  "adoptium/containers d8d18d67a32e2cbc765de68c30ea0998009df325"
  "alpinelinux/alpine-baselayout c70092f2d6db72b9d1536953c5eb444865872d2b"
  "GoogleContainerTools/distroless cd080764af3103b2f49fb5eb23297c72c945e77a"
  "dotnet/dotnet-docker 3ed00b611cc88eaa5995525a0549a5703965cd02"
)

# official-images revisions whose library files give tags, newest first:
# the pinned one and the last of each year before it (older version lines
# of golang, python, node... are still common in FROM lines).
LIBRARY_REVS=(
  37079fb336f572a88700cf32e5e1f6be54a04e8f
  cc1138367644fe32032395af3a7bcf8e0a4629f9
  a750b485e10a830f9f71933a40bf632f47b7f89b
  e79f1871355280dbb2ef13afdfbdb6aa4a529e3f
  f04f2498347fbfc392e46bcbd1aebe836a269f6a
  db5a009545856ee004ea2a94aebaabb2bea807d2
)

# The git directory of one source, at its commit; empty when unavailable.
git_dir_of() {
  local repo="$1" commit="$2" dir
  dir="${repo/\//+}"
  if [ -n "$checkouts" ]; then
    for d in "$checkouts/$dir/repo" "$checkouts/$dir/.git" "$checkouts/$dir"; do
      if git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1; then
        echo "$d"
        return
      fi
    done
    echo "gen-image-catalog: $repo: no checkout under $checkouts/$dir" >&2
    return
  fi
  d="$cache/$dir.git"
  if [ ! -d "$d" ]; then
    echo "gen-image-catalog: cloning https://github.com/$repo into $d" >&2
    if ! git clone --quiet --bare "https://github.com/$repo.git" "$d"; then
      echo "gen-image-catalog: error: cloning https://github.com/$repo failed" >&2
      rm -rf "$d"
      exit 1
    fi
  elif ! git --git-dir="$d" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "gen-image-catalog: updating $d" >&2
    git --git-dir="$d" fetch --quiet origin '+refs/heads/*:refs/heads/*' || {
      echo "gen-image-catalog: error: fetching https://github.com/$repo failed" >&2
      exit 1
    }
  fi
  echo "$d"
}

mkdir -p "$cache"
manifest="$cache/manifest.tsv"
: >"$manifest"
for entry in "${SOURCES[@]}"; do
  read -r repo commit <<<"$entry"
  dir=$(git_dir_of "$repo" "$commit")
  [ -n "$dir" ] || { echo "gen-image-catalog: skipping $repo" >&2; continue; }
  if ! git --git-dir="$dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "gen-image-catalog: error: $repo has no commit $commit in $dir" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\n' "$repo" "$dir" "$commit" >>"$manifest"
done

revs=()
for r in "${LIBRARY_REVS[@]}"; do revs+=(--library-rev "$r"); done
echo "gen-image-catalog: generating $out" >&2
cargo run --quiet --release --manifest-path "$root/Cargo.toml" -p berth-catalog -- \
  --manifest "$manifest" --out "$out" "${revs[@]}"
