#!/usr/bin/env bash
# Checks that a change leaves `hvcov report` output unchanged: builds the CLI of REV (default
# HEAD) in a temporary worktree, then runs it and the current CLI (bin/hvcov.cjs,
# `npm run build:cli` first) on every .gcno/.gcda set found under build/ (the fixtures,
# build/check-sqlite/*, build/bench/*/obj) and compares the --gcov-json files and what each
# prints. Meant for work on speed or structure, where the outputs must not move; the real
# tools stay the oracle (conformance tests), this only says "nothing changed".
#
#   bash scripts/same-output.sh [REV]
#
# Exit status 1 when any output differs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-HEAD}
tmp=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$here" worktree add -q --detach "$tmp/src" "$rev"
ln -s "$here/node_modules" "$tmp/src/node_modules"
(cd "$tmp/src" && node scripts/build-cli.mjs)
# REV's own entry point: bin/hvcov.cjs, or bin/hvcov.mjs before the CLI became CommonJS
ref=$tmp/src/bin/hvcov.cjs
[ -f "$ref" ] || ref=$tmp/src/bin/hvcov.mjs
fail=0
check() { # name notes-dir data-dir
  node "$ref" report --build "$2" --gcda "$3" --gcov-json "$tmp/ref.json" >"$tmp/ref.out" 2>&1 || true
  node "$here/bin/hvcov.cjs" report --build "$2" --gcda "$3" --gcov-json "$tmp/new.json" >"$tmp/new.out" 2>&1 || true
  if cmp -s "$tmp/ref.json" "$tmp/new.json" && cmp -s "$tmp/ref.out" "$tmp/new.out"; then
    echo "same       $1"
  else
    echo "DIFFERENT  $1"
    fail=1
  fi
}
cd "$here"
for d in build/fixtures/gcc*/; do [ -d "$d/gcno" ] && check "$d" "$d/gcno" "$d/ref"; done
for d in build/check-sqlite/*/ build/bench/*/obj/; do
  [ -d "$d" ] && ls "$d"/*.gcno >/dev/null 2>&1 && check "$d" "$d" "$d"
done
exit $fail
