#!/usr/bin/env bash
# `hvcov report --lcov` against Debian's lcov 1.16 on a real build: the folder's .gcno/.gcda
# captured as lcov users do it, a baseline (`lcov --capture --initial`, so objects that never
# ran are in, as hvcov reports them) merged with the run's capture (`lcov -a base -a run`,
# branch coverage on), then compared with hvcov's tracefile for the same folder: every line,
# in order, apart from the FN/FNDA lines, which lcov prints in Perl's hash order (it changes
# from run to run); those are compared per source file as sets. Exit status 1 on a difference.
# lcov runs without -b, as hvcov without --source-root: relative source names resolve
# against the compile folder each object records (lcov's -b is hvcov's --source-root).
#
#   bash scripts/check-lcov.sh OBJ_DIR [GCOV] [LABEL] [--mcdc]   (GCOV: the build's gcov, default gcov-12)
#
# --mcdc (builds with GCC 14+ -fcondition-coverage): also `hvcov report --lcov --mcdc-coverage`
# against lcov 2 (scripts/debian-lcov.sh; $HVCOV_LCOV2, default /opt/debian-lcov/bin/lcov), the
# same baseline + run capture with --mcdc-coverage: the MCDC/MCF/MCH records of every file,
# in order (lcov 2 merges some branches of headers otherwise than lcov 1.16, see
# test/conformance/lcov-mcdc.test.ts, so only its MC/DC records are compared).
#
# Used by check-sqlite-gcov.sh and on Tcl (`bench/large-program-multi.sh` builds it):
#   bash scripts/check-lcov.sh build/bench/tcl/obj gcov-12 tcl
# Not part of npm test (lcov takes 5-15 s per capture on these programs).
set -euo pipefail
dir=$(realpath "${1:?usage: check-lcov.sh OBJ_DIR [GCOV] [LABEL]}")
gcov=${2:-gcov-12}
label=${3:-$dir}
mcdc=${4:-}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=(--rc lcov_branch_coverage=1)
# geninfo 1.16 prints Perl warnings about redefined subroutines on stderr: not ours to judge
lcov --capture --initial "${rc[@]}" --gcov-tool "$gcov" -d "$dir" -o "$work/base.info" -q 2> /dev/null
lcov --capture "${rc[@]}" --gcov-tool "$gcov" -d "$dir" -o "$work/run.info" -q 2> /dev/null
lcov "${rc[@]}" -a "$work/base.info" -a "$work/run.info" -o "$work/lcov.info" -q
node "$here/bin/hvcov.cjs" report --build "$dir" --gcda "$dir" --lcov "$work/hvcov.info" > /dev/null || true
fns() { awk '/^SF:/ { sf = $0 } /^FN/ { print sf "|" $0 }' "$1" | sort; }
if diff <(grep -v '^FN' "$work/lcov.info") <(grep -v '^FN' "$work/hvcov.info") > "$work/lines.diff" &&
  diff <(fns "$work/lcov.info") <(fns "$work/hvcov.info") > "$work/fns.diff"; then
  echo "$label: lcov tracefile identical to lcov 1.16's ($(grep -c '^SF:' "$work/lcov.info") files, $(grep -c '^DA:' "$work/lcov.info") lines, $(grep -c '^BRDA:' "$work/lcov.info") branches, FN/FNDA as sets)"
else
  echo "$label: lcov tracefile differs from lcov 1.16's:"
  cat "$work/lines.diff" "$work/fns.diff" 2> /dev/null | head -20
  exit 1
fi
if [ "$mcdc" = --mcdc ]; then
  lcov2=${HVCOV_LCOV2:-/opt/debian-lcov/bin/lcov}
  # C++ (macro-made functions at one line) trips lcov 2's end-line check, which bears on no MC/DC record;
  # a source that is gone (a configure probe's) is an error to lcov 2, a warning to lcov 1.16
  f=(--mcdc-coverage --branch-coverage -q --ignore-errors inconsistent,inconsistent,source)
  "$lcov2" --capture --initial "${f[@]}" --gcov-tool "$gcov" -d "$dir" -o "$work/base2.info" > /dev/null 2>&1
  "$lcov2" --capture "${f[@]}" --gcov-tool "$gcov" -d "$dir" -o "$work/run2.info" > /dev/null 2>&1
  "$lcov2" "${f[@]}" -a "$work/base2.info" -a "$work/run2.info" -o "$work/lcov2.info" > /dev/null 2>&1
  node "$here/bin/hvcov.cjs" report --build "$dir" --gcda "$dir" --lcov "$work/mcdc.info" --mcdc-coverage > /dev/null || true
  mc() { awk '/^SF:/ { sf = $0 } /^MC/ { print sf "|" $0 }' "$1"; }
  n=$(mc "$work/lcov2.info" | grep -c '|MCDC:' || true)
  if [ "$n" -gt 0 ] && diff <(mc "$work/lcov2.info") <(mc "$work/mcdc.info") > "$work/mcdc.diff"; then
    echo "$label: MC/DC records identical to lcov 2's ($n MCDC lines)"
  else
    echo "$label: MC/DC records differ from lcov 2's ($n MCDC lines there):"
    head -20 "$work/mcdc.diff"
    exit 1
  fi
fi
