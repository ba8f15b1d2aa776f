#!/usr/bin/env bash
# Checks that a change leaves `hvcov report` output unchanged: builds the CLI of REV (default
# HEAD) in a temporary worktree, then runs it and the current CLI (bin/hvcov.cjs,
# `npm run build:cli` first) on every .gcno/.gcda set found under build/ (the fixtures,
# build/check-sqlite/*, build/bench/*/obj) and compares what each writes and prints: twice,
# --gcov-json alone (written object by object) and with --lcov, --cobertura and --summary
# (the merged report model; Cobertura's timestamp left out of the comparison). Meant for work on speed or structure, where the outputs must not move; the real
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
run() { # cli prefix notes-dir data-dir [all]
  local more=()
  [ -n "${5:-}" ] && more=(--lcov "$tmp/$2.info" --cobertura "$tmp/$2.xml" --summary)
  node "$1" report --build "$3" --gcda "$4" --gcov-json "$tmp/$2.json" "${more[@]}" >"$tmp/$2.out" 2>&1 || true
  [ -f "$tmp/$2.xml" ] && sed -i 's/ timestamp="[0-9]*"//' "$tmp/$2.xml"
  return 0
}
check() { # name notes-dir data-dir
  local mode
  for mode in "" all; do
    rm -f "$tmp"/ref.* "$tmp"/new.*
    run "$ref" ref "$2" "$3" $mode
    run "$here/bin/hvcov.cjs" new "$2" "$3" $mode
    local same=1 f
    for f in json out info xml; do
      [ -f "$tmp/ref.$f" ] || [ -f "$tmp/new.$f" ] || continue
      cmp -s "$tmp/ref.$f" "$tmp/new.$f" || same=0
    done
    if [ $same = 1 ]; then
      echo "same       $1 ${mode:-gcov-json}"
    else
      echo "DIFFERENT  $1 ${mode:-gcov-json}"
      fail=1
    fi
  done
}
cd "$here"
for d in build/fixtures/gcc*/; do [ -d "$d/gcno" ] && check "$d" "$d/gcno" "$d/ref"; done
for d in build/check-sqlite/*/ build/bench/*/obj/; do
  [ -d "$d" ] && ls "$d"/*.gcno >/dev/null 2>&1 && check "$d" "$d" "$d"
done
exit $fail
