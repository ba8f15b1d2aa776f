#!/usr/bin/env bash
# `hvcov report --gcov-json` against the build's own gcov on a real multi-object build:
# `gcov --json-format --stdout -b` (plus --conditions from GCC 14) over every .gcno of the
# folder in one run, then each object's document compared with hvcov's: every file, function,
# line, branch, call and condition, keys in any order, the working directory aside (as the
# issue allows). OBJ_DIR is searched recursively; documents are paired by the object's path
# under it. gcc_version is compared on major.minor: gcov prints its own release there, the
# notes carry only major.minor. Objects without a .gcda are in both (gcov assumes them not
# executed).
# Exit status 1 on any difference (the first ones are printed).
#
#   bash scripts/check-gcov-json.sh OBJ_DIR GCOV [LABEL]
#
# e.g. on Tcl built with GCC 15 (see bench/large-program-multi.sh for the build):
#   bash scripts/check-gcov-json.sh build/check-tcl/gcc15-O2/obj /opt/debian-gcc/15/bin/gcov-15
# Not part of npm test.
set -euo pipefail
dir=$(realpath "${1:?usage: check-gcov-json.sh OBJ_DIR GCOV [LABEL]}")
gcov=${2:?usage: check-gcov-json.sh OBJ_DIR GCOV [LABEL]}
label=${3:-$dir}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
major=$("$gcov" --version | head -n 1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 | cut -d. -f1)
cond=()
[ "$major" -ge 14 ] && cond=(--conditions)
cd "$dir"
# gcov warns on stderr about objects without data; their JSON is still printed
find . -name '*.gcno' | sort | xargs "$gcov" --json-format --stdout -b "${cond[@]}" > "$work/gcov.jsonl" 2> /dev/null
node "$here/bin/hvcov.cjs" report --build . --gcda . --gcov-json "$work/hvcov.jsonl" > /dev/null || true
node - "$work/hvcov.jsonl" "$work/gcov.jsonl" "$label" <<'EOF'
const { readFileSync } = require('node:fs');
const [oursFile, refFile, label] = process.argv.slice(2);
const docs = (f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
// objects by their .gcda's path under the folder (gcov names it as given on its command line, ./ first)
const byData = (ds) => new Map(ds.map((d) => [d.data_file.replace(/^(\.\/)+/, '').replace(/\.gc(da|no)$/, ''), d]));
const ours = byData(docs(oursFile));
const ref = byData(docs(refFile));
const canon = (x) =>
  JSON.stringify(x, (k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );
const differ = [];
let files = 0, functions = 0, lines = 0, conditions = 0;
for (const [name, r] of ref) {
  const o = ours.get(name);
  if (!o) { differ.push(`${name}: no document from hvcov`); continue; }
  if (o.format_version !== r.format_version)
    differ.push(`${name}: format_version ours ${o.format_version}, gcov ${r.format_version}`);
  // gcc_version is the gcov binary's own release ("10.2.1 20210110"); the notes carry major.minor
  const mm = (v) => String(v).split('.').slice(0, 2).join('.');
  if (mm(o.gcc_version) !== mm(r.gcc_version)) differ.push(`${name}: gcc_version ours ${o.gcc_version}, gcov ${r.gcc_version}`);
  if (o.files.length !== r.files.length) differ.push(`${name}: ours ${o.files.length} files, gcov ${r.files.length}`);
  r.files.forEach((f, i) => {
    const m = o.files[i];
    if (m?.file !== f.file) return differ.push(`${name}: file ${i} ours ${m?.file}, gcov ${f.file}`);
    files++;
    functions += f.functions.length;
    if (canon(m.functions) !== canon(f.functions)) differ.push(`${name}: ${f.file}: functions differ`);
    if (m.lines.length !== f.lines.length) differ.push(`${name}: ${f.file}: ours ${m.lines.length} lines, gcov ${f.lines.length}`);
    f.lines.forEach((l, j) => {
      lines++;
      conditions += l.conditions?.length ?? 0;
      if (canon(m.lines[j]) !== canon(l)) differ.push(`${name}: ${f.file}:${l.line_number}: ours ${canon(m.lines[j])}\n    gcov ${canon(l)}`);
    });
  });
}
for (const name of ours.keys()) if (!ref.has(name)) differ.push(`${name}: only hvcov wrote a document`);
console.log(
  `${label}: ${ref.size} objects, ${files} file entries, ${functions} functions, ${lines} lines, ${conditions} conditions compared; ${differ.length} differences`,
);
for (const d of differ.slice(0, 10)) console.log(`  ${d}`);
process.exit(differ.length > 0 ? 1 : 0);
EOF
