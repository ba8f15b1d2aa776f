#!/usr/bin/env bash
# Builds a real C++ program with coverage: JsonCpp 1.9.5 (Debian's libjsoncpp source package;
# C++17, about 9,000 lines in 6 objects, heavy on libstdc++ templates: constructors' and
# destructors' variants, template instances at one place, lambdas, exceptions) and runs its
# own test suite (119 tests), leaving one .gcno/.gcda pair per object in one directory, for
# the conformance checks on C++ (test/conformance/large-programs.test.ts). Idempotent: the
# download and the objects are reused while the compiler and flags are the same.
#
#   CXX=g++-12 CXX_OPT=-O0 bash bench/cpp-program.sh --out DIR
#
# Layout: DIR/dl (the .dsc and the orig tarball, whose sha256 is checked against the .dsc),
# DIR/src/jsoncpp-1.9.5, DIR/obj. Prints the object directory on its last line.
set -euo pipefail

. "$(dirname "$0")/program-lib.sh"
program_out "$@"
CXX=${CXX:-g++-12}
OPT=${CXX_OPT:--O0}
DSC=libjsoncpp_1.9.5-4.dsc
TOP=jsoncpp-1.9.5
src="$out/src/$TOP"
obj="$out/obj"

# 1. Sources: the orig tarball named in the .dsc, checked against its Checksums-Sha256.
program_sources libj/libjsoncpp "$DSC" "$TOP" src/lib_json/json_value.cpp

# 2. Build (the library and its test runner) and run the tests: fresh .gcda files.
units="src/lib_json/json_reader.cpp src/lib_json/json_value.cpp src/lib_json/json_writer.cpp
  src/test_lib_json/jsontest.cpp src/test_lib_json/main.cpp src/test_lib_json/fuzz.cpp"
flags="--coverage $OPT -std=c++17"
if [ "$(cat "$obj/flags" 2>/dev/null)" != "$CXX $flags" ] || [ ! -x "$obj/tests" ]; then
  rm -rf "$obj" && mkdir -p "$obj"
  echo "building $TOP with $CXX $flags" >&2
  pids=()
  for u in $units; do
    (cd "$obj" && "$CXX" $flags -I"$src/include" -I"$src/src/lib_json" -c "$src/$u" \
      -o "$(basename "$u" .cpp).o") &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  (cd "$obj" && "$CXX" --coverage -o tests ./*.o)
  echo "$CXX $flags" > "$obj/flags"
fi
if [ -z "$(ls "$obj"/*.gcda 2>/dev/null)" ]; then
  (cd "$obj" && ./tests > tests.out 2>&1) || { cat "$obj/tests.out" >&2; echo "the tests failed" >&2; exit 1; }
  tail -n 1 "$obj/tests.out" >&2
fi
echo "$obj"
