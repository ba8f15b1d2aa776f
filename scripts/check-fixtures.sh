#!/usr/bin/env bash
# Sanity checks of generated fixtures, independent of the TypeScript code:
#
#   scripts/check-fixtures.sh DIR [CONFIG...]     (default: every DIR/*/meta.json)
#
# For each config: the image starts with the Jailhouse signature and its
# core_size is the file size; the gcov_info chain from the header's
# gcov_info_head stays inside the image, each info's version word equals the
# version word of the .gcda that libgcov wrote for its filename, and there is
# one info per .gcda; gcov-dump reads every .gcda and .gcno; gcov accepts
# every .gcda with its .gcno (stamps match); plus per-config expectations
# (COMDAT placeholder, TOPN/indirect-call records, condition and path
# counters, the ARM base address). Prints one line per config.
set -euo pipefail

die() { echo "check-fixtures: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: check-fixtures.sh DIR [CONFIG...]"
DIR=$(cd "$1" && pwd)
shift
configs=("$@")
if [ ${#configs[@]} -eq 0 ]; then
  for m in "$DIR"/*/meta.json; do configs+=("$(basename "$(dirname "$m")")"); done
fi

# a string or number field of meta.json (one key per line, as gen-fixtures.sh writes it)
meta() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$D/meta.json"; }

check_one() {
  local cfg=$1
  D=$DIR/$cfg
  [ -f "$D/meta.json" ] || die "$cfg: no meta.json"
  local endian word base major gcovdump gcov img size
  endian=$(meta endian) word=$(meta wordSize) base=$(meta base) major=$(meta gccMajor)
  gcovdump=$(meta gcovDump) gcov=$(meta gcov)
  img=$D/image.bin
  size=$(stat -c %s "$img")

  # unsigned integer of N bytes at OFFSET, in the target's byte order
  rd() { od -An -v -t "u$2" -j "$1" -N "$2" --endian="$endian" "$img" | tr -d ' '; }
  hex4() { od -An -v -t x1 -j "$2" -N 4 "$1" | tr -d ' '; }

  [ "$(head -c 8 "$img")" = JAILHOUS ] || die "$cfg: image does not start with JAILHOUS"
  [ "$(rd 8 "$word")" = "$size" ] || die "$cfg: core_size $(rd 8 "$word") != file size $size"
  [ "$cfg" != gcc12-armhf-O0 ] || [ "$base" = 0xf0000000 ] || die "$cfg: base $base, want 0xf0000000"

  # walk the chain: version at 0, next at W; filename after stamp (and checksum from GCC 12)
  local head=$((8 + 4 * word)) fname_off addr off n=0 version gcda name
  if [ "$word" = 8 ]; then fname_off=24; elif [ "$major" -ge 12 ]; then fname_off=16; else fname_off=12; fi
  addr=$(rd $head "$word")
  [ "$addr" != 0 ] || die "$cfg: gcov_info_head is NULL"
  while [ "$addr" != 0 ]; do
    off=$((addr - base))
    [ $off -ge 0 ] && [ $((off + 64)) -le "$size" ] || die "$cfg: gcov_info at $addr outside the image"
    version=$(hex4 "$img" $off)
    name=$(rd $((off + fname_off)) "$word")
    name=$(tail -c +$((name - base + 1)) "$img" | head -c 1024 | tr '\0' '\n' | head -n 1)
    gcda=$D/ref$name
    [ -f "$gcda" ] || die "$cfg: no reference file for $name"
    [ "$(hex4 "$gcda" 4)" = "$version" ] || die "$cfg: version $version in image, $(hex4 "$gcda" 4) in $gcda"
    n=$((n + 1))
    [ $n -lt 1000 ] || die "$cfg: gcov_info chain does not end"
    addr=$(rd $((off + word)) "$word")
  done
  local files
  files=$(find "$D/ref" -name '*.gcda' | wc -l)
  [ "$files" = $n ] || die "$cfg: $n gcov_info in the image but $files .gcda files"

  # gcov-dump reads everything; gcov matches every .gcda with its .gcno
  local f dump tmp err all=
  for f in $(find "$D/ref" -name '*.gcda' | sort) $(find "$D/gcno" -name '*.gcno' | sort); do
    dump=$("$gcovdump" -l "$f" 2>&1) || die "$cfg: $gcovdump failed on $f"
    case $f in *.gcda) all+=$dump$'\n' ;; esac
  done
  tmp=$(mktemp -d)
  cp -r "$D/gcno/." "$tmp/"
  local bdir
  bdir=$(meta buildDir)
  (cd "$D/ref$bdir/obj" && find . -name '*.gcda' -exec cp --parents -t "$tmp" {} +)
  for f in $(cd "$tmp" && find . -name '*.gcda' | sort); do
    err=$(cd "$(dirname "$tmp/$f")" && "$gcov" -n "$(basename "$f")" 2>&1 >/dev/null) || true
    case $err in
      *mismatch* | *[Cc]annot* | *unsolvable* | *corrupt* | *overflow* | *[Ee]rror*)
        rm -rf "$tmp"; die "$cfg: gcov on $f: $err" ;;
    esac
  done
  rm -rf "$tmp"

  local notes=()
  # a zero-length FUNCTION record: a COMDAT function whose kept copy belongs to another object
  if grep -q 'FUNCTION *$\|:   0:FUNCTION' <<< "$all"; then notes+=(placeholder); fi
  case $cfg in
    gcc12-x86_64-O0)
      [[ " ${notes[*]} " = *" placeholder "* ]] || die "$cfg: no zero-length FUNCTION placeholder" ;;
    gcc12-x86_64-O2-values)
      grep -q 'COUNTERS topn' <<< "$all" || die "$cfg: no TOPN counters"
      grep -q 'COUNTERS indirect_call' <<< "$all" || die "$cfg: no indirect-call counters"
      notes+=(topn indirect_call) ;;
    gcc14-x86_64-O0-cond)
      grep -q 'COUNTERS conditions\|01b10000' <<< "$all" || die "$cfg: no condition counters"
      notes+=(conditions) ;;
    gcc15-x86_64-O2)
      grep -q 'COUNTERS conditions\|01b10000' <<< "$all" || die "$cfg: no condition counters"
      grep -q 'COUNTERS paths\|01b30000' <<< "$all" || die "$cfg: no path counters"
      notes+=(conditions paths) ;;
  esac
  version=$(printf '%08x' "$(rd "$(( $(rd $head "$word") - base ))" 4)")
  echo "base=$base image=${size}B infos=$n version=0x$version ($(printf "\\x${version:0:2}\\x${version:2:2}\\x${version:4:2}\\x${version:6:2}"))${notes:+ ${notes[*]}}"
}

for c in "${configs[@]}"; do
  line=$(check_one "$c")
  printf '%-24s %s\n' "$c" "$line"
done
