#!/usr/bin/env bash
# Prime paths on a large real program: SQLite's amalgamation (the sources of
# bench/large-program.sh) built with gcc-15 -fpath-coverage, its workload run, then
# `hvcov report --gcov-json --prime-paths` against `gcov-15 --json-format -b --prime-paths`,
# function by function. Takes minutes and about 1 GB of disk; not part of npm test.
#
#   bash scripts/check-prime-paths-sqlite.sh [-O0|-O2] [PATH_LIMIT]     (default -O0 1000)
#
# gcov-15 itself runs out of memory on its JSON when the limit is much higher (20000). The
# sources are named without "..": gcov elides "dir/.." only after looking at the file system.
set -euo pipefail
opt=${1:--O0}
limit=${2:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${DEBIAN_GCC_PREFIX:-/opt/debian-gcc}/15/bin
src=$(realpath "$(bash "$here/bench/large-program.sh" 2>/dev/null | tail -n 1)/../src")
out=$here/build/prime-paths-sqlite$opt-$limit
rm -rf "$out" && mkdir -p "$out/obj"
defs=(-DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS
  -DSQLITE_ENABLE_PERCENTILE -DSQLITE_ENABLE_STAT4 -DSQLITE_ENABLE_DBSTAT_VTAB
  -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_DQS=0)
cd "$out/obj"
"$bin/gcc-15" --coverage "$opt" -fpath-coverage "-fpath-coverage-limit=$limit" "${defs[@]}" \
  -I"$src" -c "$src/sqlite3.c" -o sqlite3.o 2> cc.log
"$bin/gcc-15" --coverage "$opt" -I"$src" -c "$src/workload.c" -o workload.o
"$bin/gcc-15" --coverage -o workload sqlite3.o workload.o -lm
./workload "$out/workload.db" > /dev/null 2>&1
rm workload.gcda workload.gcno
"$bin/gcov-15" --json-format --stdout --branch-probabilities --prime-paths sqlite3.gcda > "$out/gcov.json"
node "$here/bin/hvcov.cjs" report --build . --gcda . --gcov-json "$out/hvcov.json" --prime-paths
node - "$out/hvcov.json" "$out/gcov.json" <<'EOF'
const { readFileSync } = require('node:fs');
const { isDeepStrictEqual } = require('node:util');
const [ours, ref] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
let functions = 0, paths = 0, withPaths = 0, uncovered = 0;
const differ = [];
ref.files.forEach((f, i) =>
  f.functions.forEach((fn, j) => {
    functions++;
    paths += fn.total_prime_paths;
    if (fn.total_prime_paths > 0) withPaths++;
    uncovered += fn.prime_path_coverage.length;
    const mine = ours.files[i]?.functions[j];
    if (!isDeepStrictEqual(mine, fn))
      differ.push(`${fn.name}: ours ${mine?.total_prime_paths}/${mine?.covered_prime_paths}, gcov ${fn.total_prime_paths}/${fn.covered_prime_paths}`);
  }),
);
console.log(`${functions} functions, ${withPaths} with paths, ${paths} paths, ${uncovered} listed as not covered`);
console.log(`functions whose prime path data differ from gcov-15's: ${differ.length}`);
for (const d of differ.slice(0, 20)) console.log(`  ${d}`);
process.exit(differ.length > 0 ? 1 : 0);
EOF
