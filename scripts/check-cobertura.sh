#!/usr/bin/env bash
# `hvcov report --cobertura` against gcovr 5.2 (Debian's) on a real build folder: gcovr runs
# the build's gcov on every object and writes its Cobertura XML; hvcov writes its own for the
# same .gcno/.gcda and the same source root; the two documents are compared line by line,
# apart from the timestamp, the version and <source>. Exit status 1 on a difference.
# gcovr 5.2 reads the text output of gcov 9-12 (gcov 13 added annotations it rejects).
#
#   bash scripts/check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]
#
# Used by check-sqlite-gcov.sh and test/conformance/large-programs.test.ts. Not part of npm
# test on its own.
set -euo pipefail
dir=$(realpath "${1:?usage: check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]}")
gcov=${2:?usage: check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]}
root=$(realpath "${3:?usage: check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]}")
label=${4:-$dir}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$dir" && gcovr --gcov-executable "$gcov" -r "$root" --xml-pretty -o "$work/gcovr.xml" . 2> /dev/null)
node "$here/bin/hvcov.mjs" report --build "$dir" --gcda "$dir" --cobertura "$work/hvcov.xml" --source-root "$root" > /dev/null || true
norm() { sed -E 's/ timestamp="[0-9]+"/ timestamp=""/; s/ version="[^"]*"/ version=""/; s#<source>[^<]*</source>#<source></source>#' "$1"; }
if diff <(norm "$work/gcovr.xml") <(norm "$work/hvcov.xml") > "$work/cobertura.diff"; then
  echo "$label: Cobertura identical to gcovr's ($(grep -c '<line ' "$work/gcovr.xml") lines, $(grep -o 'functions-valid="[0-9]*"' "$work/gcovr.xml" | head -n 1 | grep -o '[0-9]*') functions)"
else
  echo "$label: Cobertura differs from gcovr's:"
  head -20 "$work/cobertura.diff"
  exit 1
fi
