#!/usr/bin/env bash
# Build the fixture hypervisor (test/fixtures/hv) with real compilers, run it,
# and keep what the run left behind: the Jailhouse-style core image and the
# .gcda files that libgcov wrote at exit for the very same run.
#
#   scripts/gen-fixtures.sh OUTDIR [CONFIG...]     (default: every config)
#
# Lays out OUTDIR/<config>/{image.bin,hv.elf,meta.json,ref/,gcno/,src/}.
# The build happens in /tmp/hvcov-fixture/<config>/ (a fixed path, so the
# .gcda paths recorded in the image do not depend on where the repository
# is). Needs scripts/install-deps.sh. JOBS=n sets the parallelism (2).
set -euo pipefail

ALL_CONFIGS=(
  gcc9-x86_64-O0
  gcc10-x86_64-O2
  gcc9-x86_64-O2-values
  gcc10-x86_64-O2-values
  gcc11-x86_64-O0
  gcc12-x86_64-O0
  gcc12-x86_64-O2-values
  gcc13-x86_64-O2
  gcc14-x86_64-O0-cond
  gcc15-x86_64-O2
  gcc12-aarch64-O2
  gcc12-armhf-O0
  gcc12-powerpc-O2
  gcc12-s390x-O0
)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURE_SRC=$(cd "$HERE/../test/fixtures/hv" && pwd)
BUILD_ROOT=/tmp/hvcov-fixture
DEBIAN_GCC=${DEBIAN_GCC_PREFIX:-/opt/debian-gcc}

# Instrumented C sources, relative to the fixture root (compiled from there,
# like kbuild does, so the .gcno names are relative to the recorded cwd).
C_SOURCES=(setup.c control.c paging.c mmio.c pci.c lib.c iommu.c arch/irqchip.c)
CXX_SOURCES=(cxx/a.cpp cxx/b.cpp)
HARNESS=harness/jailhouse_dump.c
# Configs that also get runs/ (snapshots, merged runs, another build): see gen_runs.
RUNS_CONFIGS=(gcc14-x86_64-O0-cond)

die() { echo "gen-fixtures: $*" >&2; exit 1; }

# Sets the variables describing one config.
config_vars() {
  local cfg=$1 rest
  ver=${cfg%%-*}; ver=${ver#gcc}
  rest=${cfg#*-}; target=${rest%%-*}; rest=${rest#*-}
  opt=${rest%%-*}
  extra=() ldextra=() hdefs=() cxx=no run=()
  case $cfg in
    gcc10-x86_64-O2 | gcc13-x86_64-O2 | gcc12-aarch64-O2 | gcc12-powerpc-O2 | gcc12-s390x-O0) ;;
    # the C++ pair (COMDAT functions, one placeholder; at -O2 g++ inlines them all away)
    gcc9-x86_64-O0 | gcc11-x86_64-O0 | gcc12-x86_64-O0) cxx=yes ;;
    gcc12-x86_64-O2-values) extra=(-fprofile-values) hdefs=(-DHV_KVP_POOL=64) ;;
    # GCC 9: indirect calls as sorted top-N lists; GCC 10: fixed-size TOPN counters
    gcc9-x86_64-O2-values) extra=(-fprofile-values --param indir-call-topn-profile=1) ;;
    gcc10-x86_64-O2-values) extra=(-fprofile-values) ;;
    gcc14-x86_64-O0-cond) extra=(-fcondition-coverage) cxx=yes ;;
    gcc15-x86_64-O2) extra=(-fcondition-coverage -fpath-coverage) ;;
    gcc12-armhf-O0) ldextra=(-Wl,-Ttext-segment=0xf0000000) ;;
    *) die "unknown config '$cfg' (known: ${ALL_CONFIGS[*]})" ;;
  esac
  case $target in
    x86_64) triplet=x86_64-linux-gnu word=8 endian=little ;;
    aarch64) triplet=aarch64-linux-gnu word=8 endian=little qemu=qemu-aarch64 ;;
    armhf) triplet=arm-linux-gnueabihf word=4 endian=little qemu=qemu-arm ;;
    powerpc) triplet=powerpc-linux-gnu word=4 endian=big qemu=qemu-ppc ;;
    s390x) triplet=s390x-linux-gnu word=8 endian=big qemu=qemu-s390x ;;
  esac
  if [ "$target" = x86_64 ]; then
    case $ver in
      11 | 12) cc=/usr/bin/gcc-$ver gcov=/usr/bin/gcov-$ver gcovdump=/usr/bin/gcov-dump-$ver ;;
      *) b=$DEBIAN_GCC/$ver/bin
         cc=$b/gcc-$ver gcov=$b/gcov-$ver gcovdump=$b/gcov-dump-$ver ;;
    esac
  else
    cc=/usr/bin/$triplet-gcc-$ver gcov=/usr/bin/$triplet-gcov-$ver
    gcovdump=/usr/bin/$triplet-gcov-dump-$ver
    run=("$qemu" -L "/usr/$triplet")
    # 4 KiB segment alignment keeps the images small (the defaults are 64 KiB)
    ldextra+=(-Wl,-z,max-page-size=0x1000 -Wl,-z,common-page-size=0x1000)
  fi
  case $ver in
    11 | 12) cxxc=/usr/bin/g++-$ver ;;
    *) cxxc=$DEBIAN_GCC/$ver/bin/g++-$ver ;;
  esac
  cflags=(--coverage "-$opt" -g0 -fno-pie "${extra[@]}" -Iinclude)
}

json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/\\t}; s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

# Builds, runs and lays out one config; all output goes to the log.
gen_one() {
  local out=$1 cfg=$2
  config_vars "$cfg"
  local B=$BUILD_ROOT/$cfg O=$out/$cfg src obj
  for t in "$cc" "$gcov" "$gcovdump" ${run[0]:+"$(command -v "${run[0]}" || echo "${run[0]}")"}; do
    [ -x "$t" ] || die "$cfg: $t is missing (run scripts/install-deps.sh)"
  done
  [ $cxx = no ] || [ -x "$cxxc" ] || die "$cfg: $cxxc is missing"

  rm -rf "$B" "$O"
  mkdir -p "$B/src" "$B/obj" "$O/ref" "$O/gcno" "$O/src"
  (cd "$FIXTURE_SRC" && tar cf - --exclude=cxx . ) | (cd "$B/src" && tar xf -)
  [ $cxx = no ] || cp -r "$FIXTURE_SRC/cxx" "$B/src/"

  local objs=()
  cd "$B/src"
  for src in "${C_SOURCES[@]}"; do
    obj=$B/obj/${src%.c}.o
    mkdir -p "$(dirname "$obj")"
    "$cc" "${cflags[@]}" -Wall -c "$src" -o "$obj"
    objs+=("$obj")
  done
  local link=$cc
  if [ $cxx = yes ]; then
    for src in "${CXX_SOURCES[@]}"; do
      obj=$B/obj/${src%.cpp}.o
      mkdir -p "$(dirname "$obj")"
      "$cxxc" --coverage "-$opt" -g0 -fno-pie "${extra[@]}" -fno-exceptions -fno-rtti -Wall -c "$src" -o "$obj"
      objs+=("$obj")
    done
    link=$cxxc hdefs+=(-DHV_WITH_CXX -DHV_PATCH_COMDAT_KEY)
  fi
  mkdir -p "$B/obj/harness"
  "$cc" "-$opt" -g0 -fno-pie -Wall "${hdefs[@]}" -c "$HARNESS" -o "$B/obj/harness/jailhouse_dump.o"
  objs+=("$B/obj/harness/jailhouse_dump.o")
  "$link" --coverage -no-pie -Wl,--wrap=__gcov_init "${ldextra[@]}" "${objs[@]}" -o "$B/hv.elf"

  cd "$B"
  GCOV_PREFIX=$O/ref GCOV_PREFIX_STRIP=0 "${run[@]}" ./hv.elf "$O/image.bin" > "$B/stdout.txt"
  local stdout base
  stdout=$(cat "$B/stdout.txt")
  base=$(sed -n 's/^base=//p' "$B/stdout.txt")
  [ -n "$base" ] || die "$cfg: the run printed no base"

  cp "$B/hv.elf" "$O/hv.elf"
  (cd "$B/obj" && find . -name '*.gcno' -print0 | xargs -0 cp --parents -t "$O/gcno")
  (cd "$B/src" && tar cf - --exclude=harness .) | (cd "$O/src" && tar xf -)
  local full
  full=$("$cc" -dumpfullversion)
  {
    echo '{'
    echo "  \"config\": $(json_str "$cfg"),"
    echo "  \"gcc\": $(json_str "$full"),"
    echo "  \"gccMajor\": ${full%%.*},"
    echo "  \"target\": $(json_str "$target"),"
    echo "  \"triplet\": $(json_str "$triplet"),"
    echo "  \"wordSize\": $word,"
    echo "  \"endian\": $(json_str "$endian"),"
    echo "  \"opt\": $(json_str "$opt"),"
    echo "  \"cflags\": $(json_str "${cflags[*]}"),"
    echo "  \"cxx\": $([ $cxx = yes ] && echo true || echo false),"
    echo "  \"base\": $(json_str "$base"),"
    echo "  \"imageSize\": $(stat -c %s "$O/image.bin"),"
    echo "  \"buildDir\": $(json_str "$B"),"
    echo "  \"gcov\": $(json_str "$gcov"),"
    echo "  \"gcovDump\": $(json_str "$gcovdump"),"
    echo "  \"stdout\": $(json_str "$stdout")"
    echo '}'
  } > "$O/meta.json"
  bash "$HERE/check-fixtures.sh" "$out" "$cfg"
  if printf '%s\n' "${RUNS_CONFIGS[@]}" | grep -qx -- "$cfg"; then
    gen_runs "$B" "$O" "$link" "${objs[@]}"
  fi
}

# More images of one config, each with libgcov's own .gcda of that run, under
# OUTDIR/<config>/runs/<name>/{image.bin,ref/,env}:
#   later    the same build, a longer workload: the default one, then CPU 3 and
#            hypercall 0 (HC_DISABLE) on CPU 0 (a later snapshot of the same campaign)
#   cell2    the same build, another workload (HV_ENTRY_CPUS="3 0 2"), to merge
#   changed  another build: lib.c gets one line more and is recompiled alone (as
#            make would), relinked with the other objects as they were; also
#            gcno/lib.gcno and src/lib.c of that build
run_one() {
  local O=$1 elf=$2 name=$3
  shift 3
  local R=$O/runs/$name
  mkdir -p "$R/ref"
  printf '%s\n' "$@" > "$R/env"
  env -u HV_ENTRY_CPUS -u HV_HYPERCALL "$@" GCOV_PREFIX="$R/ref" GCOV_PREFIX_STRIP=0 \
    "${run[@]}" "$elf" "$R/image.bin" > "$R/stdout.txt"
}

gen_runs() {
  local B=$1 O=$2 link=$3
  shift 3
  local objs=("$@")
  cd "$B"
  run_one "$O" ./hv.elf later 'HV_ENTRY_CPUS=1 2 0 7 1 3' HV_HYPERCALL=0
  run_one "$O" ./hv.elf cell2 'HV_ENTRY_CPUS=3 0 2'
  cd "$B/src"
  sed -i '1i /* changed: one line more, every line below moves */' lib.c
  "$cc" "${cflags[@]}" -Wall -c lib.c -o "$B/obj/lib.o"
  "$link" --coverage -no-pie -Wl,--wrap=__gcov_init "${ldextra[@]}" "${objs[@]}" -o "$B/hv-changed.elf"
  cd "$B"
  run_one "$O" ./hv-changed.elf changed
  mkdir -p "$O/runs/changed/gcno" "$O/runs/changed/src"
  cp "$B/obj/lib.gcno" "$O/runs/changed/gcno/lib.gcno"
  cp "$B/src/lib.c" "$O/runs/changed/src/lib.c"
  echo "runs: later cell2 changed"
}

if [ "${1:-}" = --one ]; then
  out=$2 cfg=$3
  log=$BUILD_ROOT/$cfg.log
  mkdir -p "$BUILD_ROOT"
  start=$SECONDS
  if (gen_one "$out" "$cfg") > "$log" 2>&1; then
    echo "ok   $(tail -n 1 "$log")  ($((SECONDS - start))s)"
  else
    echo "FAIL $cfg ($((SECONDS - start))s), last lines of $log:" >&2
    tail -n 25 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
  exit 0
fi

[ $# -ge 1 ] || die "usage: gen-fixtures.sh OUTDIR [CONFIG...]"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
shift
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=("${ALL_CONFIGS[@]}")
for c in "${configs[@]}"; do config_vars "$c"; done
start=$SECONDS
if printf '%s\n' "${configs[@]}" | xargs -P "${JOBS:-2}" -I{} bash "$0" --one "$OUT" {}; then
  echo "gen-fixtures: ${#configs[@]} config(s) in $OUT ($((SECONDS - start))s)"
else
  die "some configs failed (see above)"
fi
