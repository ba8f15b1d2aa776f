#!/usr/bin/env bash
# Builds a C++ program over two header-heavy libraries, nlohmann/json 3.11.2 and fmt 9.1.0
# (Debian's nlohmann-json3 and fmtlib source packages), with coverage, and runs it, leaving
# the .gcno/.gcda pairs in DIR/obj for the conformance checks (scripts/check-gcov-json.sh,
# check-lcov.sh, check-cobertura.sh). The program is ours (bench/cxx-headers/*.cpp: JSON
# parse, patch, SAX, CBOR/MessagePack/BSON, user types and enums; fmt's format, compile-time
# format, chrono, ranges, colours, a user formatter, errors); the libraries' headers and
# fmt's format.cc are compiled into it: about 6,800 functions at -O0, most of them template
# instances, whose names exercise the demangler (local classes as template arguments,
# decltype with std::declval, enable_if traits). Idempotent while the compiler and flags are
# the same.
#
#   CC=gcc-12 CXX_OPT=-O0 bash bench/cxx-headers-program.sh --out DIR
#
# CC names the gcc; its g++ is taken beside it. Layout: DIR/dl, DIR/src/json-3.11.2,
# DIR/src/fmtlib-9.1.0+ds1, DIR/obj. Nothing from either library is committed. Prints the
# object folder on its last line.
set -euo pipefail

. "$(dirname "$0")/program-lib.sh"
program_out "$@"
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-gcc-12}
CXX=$(echo "$CC" | sed 's/gcc-\([0-9]*\)$/g++-\1/')
OPT=${CXX_OPT:--O0}
obj="$out/obj"

# 1. Sources: the orig tarballs named in the .dsc files, checked against their Checksums-Sha256.
program_sources n/nlohmann-json3 nlohmann-json3_3.11.2-2.dsc json-3.11.2 include/nlohmann/json.hpp
program_sources f/fmtlib fmtlib_9.1.0+ds1-2.dsc fmtlib-9.1.0+ds1 src/format.cc

# 2. Build and run.
flags="$OPT --coverage -std=gnu++17 -I$out/src/json-3.11.2/include -I$out/src/fmtlib-9.1.0+ds1/include"
if [ "$(cat "$obj/flags" 2>/dev/null)" != "$CXX $flags" ] || [ ! -x "$obj/prog" ]; then
  rm -rf "$obj" && mkdir -p "$obj"
  echo "building with $CXX $flags" >&2
  (
    cd "$obj"
    "$CXX" $flags -c "$here/cxx-headers/jsonw.cpp" -o jsonw.o &
    "$CXX" $flags -c "$here/cxx-headers/fmtw.cpp" -o fmtw.o &
    wait
    "$CXX" $flags -c "$out/src/fmtlib-9.1.0+ds1/src/format.cc" -o format.o
    "$CXX" $flags -c "$here/cxx-headers/main.cpp" -o main.o
    "$CXX" --coverage -o prog ./*.o
  ) > "$out/build.log" 2>&1 || { tail -n 20 "$out/build.log" >&2; exit 1; }
  echo "$CXX $flags" > "$obj/flags"
fi
if [ -z "$(ls "$obj"/*.gcda 2>/dev/null)" ]; then
  (cd "$obj" && ./prog > run.out 2>&1) || { cat "$obj/run.out" >&2; echo "the program failed" >&2; exit 1; }
fi
echo "$obj"
