#!/usr/bin/env bash
# Prime path coverage fixture: builds test/fixtures/paths/paths.c with gcc-15
# -fpath-coverage at -O0 and -O2, runs it, and keeps for each what gcov-15 reads and prints:
#
#   scripts/gen-paths-fixture.sh OUTDIR     (the committed one: test/fixtures/paths/gcc15)
#
# Lays out OUTDIR/{O0,O2}/{paths.gcno,paths.gcda,paths.gcov.json.gz} (the source stays
# test/fixtures/paths/paths.c: gcov's JSON needs no source text), the last
# being `gcov-15 --json-format --branch-probabilities --prime-paths` (gzip, as gcov writes
# it). The build happens in /tmp/hvcov-paths-fixture (a fixed path, so the recorded
# directories do not depend on where the repository is). The path limit lets `many`
# (2^10 paths) be instrumented and makes gcc give up on `too_many`.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: gen-paths-fixture.sh OUTDIR" >&2; exit 2; }
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$HERE/../test/fixtures/paths/paths.c
BIN=${DEBIAN_GCC_PREFIX:-/opt/debian-gcc}/15/bin
B=/tmp/hvcov-paths-fixture
CFLAGS=(--coverage -g0 -fpath-coverage -fpath-coverage-limit=2500)

for opt in O0 O2; do
  rm -rf "${B:?}/$opt" "${OUT:?}/$opt"
  mkdir -p "$B/$opt" "$OUT/$opt"
  cp "$SRC" "$B/$opt/paths.c"
  (
    cd "$B/$opt"
    # gcc warns that it gives up on too_many: that is the point
    "$BIN/gcc-15" "${CFLAGS[@]}" "-$opt" -c paths.c -o paths.o 2> cc.log
    grep -q "too_many" cc.log || { echo "gen-paths-fixture: gcc did not give up on too_many" >&2; exit 1; }
    "$BIN/gcc-15" --coverage paths.o -o paths
    ./paths
    "$BIN/gcov-15" --json-format --branch-probabilities --prime-paths paths.gcda > /dev/null
  )
  cp "$B/$opt"/{paths.gcno,paths.gcda,paths.gcov.json.gz} "$OUT/$opt/"
done
echo "gen-paths-fixture: $OUT/{O0,O2}"
