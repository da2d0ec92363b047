#!/usr/bin/env bash
# Copy the grammar's queries (crates/tree-sitter-dockerfile/queries) to the
# editor integrations that ship them; with --pin, also set the grammar
# revision that Zed, Helix and nvim-treesitter fetch to the last commit that
# changed the grammar (run it after committing a grammar change).
#
#   scripts/sync-editor-queries.sh [--pin]
#
# tests/editors.rs checks that the copies equal the crate's queries and that
# the three editors name the same revision, one whose grammar has the node
# types the queries are written for.
set -euo pipefail
cd "$(dirname "$0")/.."
queries=crates/tree-sitter-dockerfile/queries

copy() {
  local dest=$1
  shift
  mkdir -p "$dest"
  for name in "$@"; do
    cp "$queries/$name.scm" "$dest/$name.scm"
  done
}

# Neovim reads all five; Helix has no folds query and its own indents.scm;
# Zed reads highlights and injections (brackets, indents and outline are its
# own kinds of query, kept in editors/zed/languages/dockerfile).
copy editors/neovim/treesitter/queries/dockerfile highlights injections locals folds indents
copy editors/helix/queries/dockerfile highlights injections locals
copy editors/zed/languages/dockerfile highlights injections

if [[ ${1:-} == --pin ]]; then
  grammar=(crates/tree-sitter-dockerfile/grammar.js crates/tree-sitter-dockerfile/src)
  rev=$(git log -1 --format=%H -- "${grammar[@]}")
  if ! git diff --quiet HEAD -- "${grammar[@]}"; then
    echo "warning: the grammar has uncommitted changes; $rev does not have them" >&2
  fi
  sed -i -E "s/(rev = \")[0-9a-f]{40}/\1$rev/" editors/zed/extension.toml editors/helix/languages.toml
  sed -i -E "s/(M\.revision = ')[0-9a-f]{40}/\1$rev/" editors/neovim/lua/berth/treesitter.lua
  echo "grammar revision: $rev"
fi
