#!/usr/bin/env bash
# Conformance on a large real program: SQLite's amalgamation (~270,000 lines of C, the
# sources of bench/large-program.sh) built with one GCC at one optimisation level, its SQL
# workload run, then the whole gcov JSON of `hvcov report --gcov-json` compared with that
# GCC's `gcov --json-format --stdout --branch-probabilities` (and --conditions from GCC 14,
# built with -fcondition-coverage): every function, every line with its branches, calls
# and conditions. The Cobertura XML of `hvcov report --cobertura` is also compared with
# `gcovr --xml-pretty`'s, all but the timestamp, version and <source> (scripts/check-cobertura.sh;
# from GCC 13 on, the annotations of gcov's text that gcovr 5.2 rejects are removed first). The
# lcov tracefile of `hvcov report --lcov` is compared with lcov 1.16's (scripts/check-lcov.sh).
# Exit status 1 on any difference (the first ones are printed).
#
#   bash scripts/check-sqlite-gcov.sh [GCC_MAJOR] [-O0|-O2]       (default: 12 -O0)
#
# GCC 11 and 12 come from the system, the others from /opt/debian-gcc (scripts/debian-gcc.sh).
# Takes one to two minutes per configuration; not part of npm test.
set -euo pipefail
major=${1:-12}
opt=${2:--O0}
here=$(cd "$(dirname "$0")/.." && pwd)
case $major in
  11|12) cc=gcc-$major; gcov=gcov-$major ;;
  *) b=${DEBIAN_GCC_PREFIX:-/opt/debian-gcc}/$major/bin; cc=$b/gcc-$major; gcov=$b/gcov-$major ;;
esac
cond=()
gcovcond=()
if [ "$major" -ge 14 ]; then cond=(-fcondition-coverage); gcovcond=(--conditions); fi
src=$(bash "$here/bench/large-program.sh" --sources-only 2>/dev/null | tail -n 1)
out=$here/build/check-sqlite/gcc$major$opt
rm -rf "$out" && mkdir -p "$out"
cd "$out"
"$cc" --coverage "$opt" "${cond[@]}" -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
  -I"$src" -c "$src/sqlite3.c" -o sqlite3.o
"$cc" --coverage "$opt" -I"$src" -c "$src/workload.c" -o workload.o
"$cc" --coverage -o workload sqlite3.o workload.o -lm
./workload "$out/workload.db" > /dev/null 2>&1
rm workload.gcda workload.gcno
"$gcov" --json-format --stdout --branch-probabilities "${gcovcond[@]}" sqlite3.gcda > gcov.json
node "$here/bin/hvcov.cjs" report --build . --gcda . --gcov-json hvcov.json > /dev/null
node - hvcov.json gcov.json "gcc-$major $opt" <<'EOF'
const { readFileSync } = require('node:fs');
const [oursFile, refFile, label] = process.argv.slice(2);
const ours = JSON.parse(readFileSync(oursFile, 'utf8').split('\n')[0]);
const ref = JSON.parse(readFileSync(refFile, 'utf8'));
// key order aside (the issue allows it), the values must be equal
const canon = (x) =>
  JSON.stringify(x, (k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );
let lines = 0, functions = 0;
const differ = [];
if (ours.files.length !== ref.files.length) differ.push(`files: ours ${ours.files.length}, gcov ${ref.files.length}`);
ref.files.forEach((f, i) => {
  const mine = ours.files[i];
  if (mine?.file !== f.file) return differ.push(`file ${i}: ours ${mine?.file}, gcov ${f.file}`);
  functions += f.functions.length;
  if (canon(mine.functions) !== canon(f.functions)) differ.push(`${f.file}: functions differ`);
  if (mine.lines.length !== f.lines.length) differ.push(`${f.file}: ours ${mine.lines.length} lines, gcov ${f.lines.length}`);
  f.lines.forEach((l, j) => {
    lines++;
    if (canon(mine.lines[j]) !== canon(l))
      differ.push(`${f.file}:${l.line_number}: ours ${canon(mine.lines[j])}\n    gcov ${canon(l)}`);
  });
});
console.log(`${label}: ${ref.files.length} files, ${functions} functions, ${lines} lines compared; ${differ.length} differences`);
for (const d of differ.slice(0, 10)) console.log(`  ${d}`);
process.exit(differ.length > 0 ? 1 : 0);
EOF
# lcov 1.16 reads the JSON of gcov 9-15: the tracefile of `hvcov report --lcov` against lcov's
bash "$here/scripts/check-lcov.sh" . "$gcov" "gcc-$major $opt"
bash "$here/scripts/check-cobertura.sh" . "$gcov" "$src" "gcc-$major $opt"
