#!/usr/bin/env bash
# `hvcov report --cobertura` against gcovr 5.2 (Debian's) on a real build folder: gcovr runs
# the build's gcov on every object and writes its Cobertura XML; hvcov writes its own for the
# same .gcno/.gcda and the same source root; the two documents are compared line by line,
# apart from the timestamp, the version and <source>. Exit status 1 on a difference.
# gcovr 5.2 reads the text output of gcov 9-12. gcov 13 added `(fallthrough)` and `(throw)`
# to "never executed" branch lines, which gcovr 5.2 rejects: from gcov 13 the script runs gcov
# itself as gcovr 5.2 would (per .gcda, in the folder gcovr picks, with gcovr's options), drops
# only those annotations (count 0 either way; Cobertura has no such flag) and hands gcovr the
# .gcov files (-g -k), as test/conformance/cobertura.test.ts does. Every other rule is gcovr's.
#
#   bash scripts/check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL [GCOVR_XML]]
#
# SOURCE_ROOT is gcovr's -r and hvcov's --root. GCOVR_XML: where to keep gcovr's document.
#
# Used by check-sqlite-gcov.sh and test/conformance/large-programs.test.ts. Not part of npm
# test on its own.
set -euo pipefail
dir=$(realpath "${1:?usage: check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]}")
gcov=${2:?usage: check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]}
root=$(realpath "${3:?usage: check-cobertura.sh OBJ_DIR GCOV SOURCE_ROOT [LABEL]}")
label=${4:-$dir}
keep=${5:-}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
major=$("$gcov" --version | head -n 1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 | cut -d. -f1)
if [ "$major" -lt 13 ]; then
  (cd "$dir" && gcovr --gcov-executable "$gcov" -r "$root" --xml-pretty -o "$work/gcovr.xml" . 2> /dev/null)
else
  # One gcov run per .gcda (or .gcno without one: not executed), as gcovr 5.2 picks them, in
  # the folder gcovr would choose: the root, then the file's folder and each one above it
  # (only when the file is not directly in the root), the first where gcov opens every
  # source; none: gcovr leaves the object out. The run's .gcov files are moved aside before
  # the next (a header's .gcov has the same name for every object) into a folder of the object
  # directory, their relative `Source:` made absolute from the folder gcov ran in (gcovr -g
  # would resolve it from the object directory instead).
  g=$(mktemp -d "$dir/.check-cobertura-XXXXXX")
  trap 'rm -rf "$work" "$g"' EXIT
  i=0
  while IFS= read -r file; do
    abs="$dir/${file#./}"
    wds=("$root")
    wd=$(dirname "$abs")
    while [ "$wd" != "${wds[-1]}" ]; do wds+=("$wd"); wd=$(dirname "$wd"); done
    for wd in "${wds[@]}"; do
      err=$(cd "$wd" && "$gcov" --branch-counts --branch-probabilities --demangled-names --hash-filenames \
        --object-directory "$(dirname "$abs")" "$abs" 2>&1 > "$work/gcov.out") || true
      made=$(sed -nE "s/^[Cc]reating [\`'](.*)'\$/\1/p" "$work/gcov.out")
      if grep -qE "([Cc](annot|ould not) open (source|graph|output) file|: No such file or directory)" <<< "$err"; then
        while IFS= read -r f; do [ -n "$f" ] && rm -f "$wd/$f"; done <<< "$made"
        continue
      fi
      mkdir -p "$g/$i"
      while IFS= read -r f; do
        [ -n "$f" ] && [ -e "$wd/$f" ] || continue
        sed -E -e 's/^(branch +[0-9]+ never executed) \((fallthrough|throw)\)$/\1/' \
          -e "s#^( +-: +0:Source:)([^/])#\1$wd/\2#" "$wd/$f" > "$g/$i/${f##*/}"
        rm "$wd/$f"
      done <<< "$made"
      break
    done
    i=$((i + 1))
  done < <(cd "$dir" && find . \( -name '*.gcda' -o -name '*.gcno' \) -not -path './.check-cobertura-*' |
    awk '{ k = substr($0, 1, length($0) - 5); if (/\.gcda$/) d[k] = $0; else n[k] = $0 }
      END { for (k in n) print (k in d) ? d[k] : n[k]; for (k in d) if (!(k in n)) print d[k] }' | sort)
  (cd "$dir" && gcovr -g -k -r "$root" --xml-pretty -o "$work/gcovr.xml" "${g##*/}" 2> /dev/null)
fi
node "$here/bin/hvcov.cjs" report --build "$dir" --gcda "$dir" --cobertura "$work/hvcov.xml" --root "$root" > /dev/null || true
[ -z "$keep" ] || cp "$work/gcovr.xml" "$keep"
norm() { sed -E 's/ timestamp="[0-9]+"/ timestamp=""/; s/ version="[^"]*"/ version=""/; s#<source>[^<]*</source>#<source></source>#' "$1"; }
if diff <(norm "$work/gcovr.xml") <(norm "$work/hvcov.xml") > "$work/cobertura.diff"; then
  echo "$label: Cobertura identical to gcovr's ($(grep -c '<line ' "$work/gcovr.xml") lines, $(grep -o 'functions-valid="[0-9]*"' "$work/gcovr.xml" | head -n 1 | grep -o '[0-9]*') functions)"
else
  echo "$label: Cobertura differs from gcovr's:"
  head -20 "$work/cobertura.diff"
  exit 1
fi
