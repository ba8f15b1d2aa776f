#!/usr/bin/env bash
# Builds SQLite's amalgamation (~270,000 lines of C) with gcc-12 --coverage -O0 and runs a
# deterministic SQL workload on it, leaving one .gcno/.gcda pair per object for
# bench/report-bench.mjs. Idempotent: the download, the sources and the objects are reused
# when present; the workload is rerun only when the .gcda files are missing (or --rerun).
#
#   bash bench/large-program.sh [--out DIR] [--rerun] [--split] [--sources-only]
#
# --sources-only fetches and extracts the sources and writes the workload only, and prints their folder.
# Default DIR: build/bench/sqlite (build/bench/sqlite-split with --split). --split cuts
# sqlite3.c at its top-level "Begin file" markers outside any #if into one piece per
# original source file (src/split/NNNN-btree.c, ...; headers stay in the piece that
# includes them, files inside an #if block stay in the piece that opened it), which
# one translation unit #includes in order:
# still one object (the amalgamation's static functions cross file boundaries), but gcov
# then reports per original source file.
#
# The sources come from the npm registry (`npm pack better-sqlite3@12`, which ships
# deps/sqlite3/sqlite3.c); they are extracted under DIR at bench time and never committed.
# Prints the object directory on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=
rerun=0
split=0
sources_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --rerun) rerun=1; shift ;;
    --split) split=1; shift ;;
    --sources-only) sources_only=1; shift ;;
    *) echo "usage: $0 [--out DIR] [--rerun] [--split] [--sources-only]" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { [ $split = 1 ] && out="$here/build/bench/sqlite-split" || out="$here/build/bench/sqlite"; }
CC=${CC:-gcc-12}
PKG=${SQLITE_NPM_PACKAGE:-better-sqlite3@12}

src="$out/src"
obj="$out/obj"
mkdir -p "$out/dl" "$src" "$obj"

# 1. Sources.
if [ ! -s "$src/sqlite3.c" ] || [ ! -s "$src/sqlite3.h" ]; then
  tgz=$(ls "$out"/dl/*.tgz 2>/dev/null | head -n 1 || true)
  if [ -z "$tgz" ]; then
    echo "fetching $PKG from the npm registry" >&2
    (cd "$out/dl" && npm pack --silent "$PKG" >/dev/null)
    tgz=$(ls "$out"/dl/*.tgz | head -n 1)
  fi
  tar -xzf "$tgz" -C "$out/dl" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  cp "$out/dl/package/deps/sqlite3/sqlite3.c" "$out/dl/package/deps/sqlite3/sqlite3.h" "$src/"
  echo "$(basename "$tgz"): sqlite3.c $(wc -l <"$src/sqlite3.c") lines" >&2
fi

# 1b. --split: pieces at the amalgamation's file markers, included in order by sqlite3-all.c.
unit=sqlite3
if [ $split = 1 ]; then
  unit=sqlite3-all
  if [ ! -s "$src/sqlite3-all.c" ] || [ "$src/sqlite3.c" -nt "$src/sqlite3-all.c" ]; then
    rm -rf "$src/split" && mkdir -p "$src/split"
    # The file is wrapped in "#ifndef SQLITE_AMALGAMATION ... #endif", which cannot span
    # included files: those two lines go to sqlite3-all.c itself.
    awk -v dir="$src/split" -v all="$src/sqlite3-all.c.tmp" '
      function piece(name) { if (out) close(out); n++; sub(/\.h$/, "_h", name); sub(/\.c$/, "", name);
        out = sprintf("%s/%04d-%s.c", dir, n, name);
        printf "#include \"split/%s\"\n", substr(out, length(dir) + 2) > all }
      BEGIN { depth = 0; pp = 0; wrap = 0; done = 0; piece("sqlite3") }
      done { print > all; next }
      pp == 0 && !wrap && /^#ifndef SQLITE_AMALGAMATION$/ { print > all; wrap = 1; pp = 1; piece("sqlite3"); next }
      wrap && pp == 1 && /^#endif \/\* SQLITE_AMALGAMATION \*\/$/ { print > all; done = 1; next }
      /^\/\*+ Begin file [A-Za-z0-9_.]+ \*+\/$/ { if (depth++ == 0 && pp == wrap) piece($4) }
      /^\/\*+ End of [A-Za-z0-9_.]+ \*+\/$/ { if (depth > 0) depth-- }
      /^[ \t]*#[ \t]*if/ { pp++ }
      /^[ \t]*#[ \t]*endif/ { pp-- }
      { print > out }
    ' "$src/sqlite3.c"
    mv "$src/sqlite3-all.c.tmp" "$src/sqlite3-all.c"
    echo "split sqlite3.c into $(ls "$src/split" | wc -l) pieces" >&2
  fi
fi

# 2. The workload driver (no shell.c in the package): an in-memory database plus a file
#    database, and a fixed SQL script (tables, inserts, indexes, joins, triggers, views,
#    aggregates, window functions, CTEs, JSON, FTS5, R*Tree). Fully deterministic.
cat >"$src/workload.c.new" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

static const char *script[] = {
  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
  "CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, budget REAL);",
  "CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id),"
  " salary INTEGER, hired TEXT, manager INTEGER, notes TEXT);",
  "CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, emp INTEGER, what TEXT, old, new);",
  "CREATE TRIGGER emp_upd AFTER UPDATE OF salary ON emp BEGIN"
  " INSERT INTO audit(emp, what, old, new) VALUES (old.id, 'salary', old.salary, new.salary); END;",
  "CREATE TRIGGER emp_del BEFORE DELETE ON emp BEGIN"
  " INSERT INTO audit(emp, what, old, new) VALUES (old.id, 'delete', old.name, NULL); END;",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
  " INSERT INTO dept(id, name, budget) SELECT i, 'dept-' || i, i * 1000.5 FROM n;",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
  " INSERT INTO emp SELECT i, printf('emp-%05d', i), 1 + (i * 7) % 50, 30000 + (i * 7919) % 90000,"
  " date('2000-01-01', '+' || (i % 7000) || ' days'), CASE WHEN i > 50 THEN 1 + i % 50 END,"
  " hex(randomblob(0)) || substr('lorem ipsum dolor sit amet consectetur', 1 + i % 20) FROM n;",
  "CREATE INDEX emp_dept ON emp(dept, salary DESC);",
  "CREATE INDEX emp_hired ON emp(hired);",
  "CREATE UNIQUE INDEX emp_name ON emp(name);",
  "ANALYZE;",
  "SELECT d.name, count(*), avg(e.salary), max(e.salary), min(e.hired), group_concat(e.id, ',')"
  " FROM emp e JOIN dept d ON d.id = e.dept GROUP BY d.id HAVING count(*) > 10 ORDER BY 3 DESC;",
  "SELECT e.name, m.name FROM emp e LEFT JOIN emp m ON m.id = e.manager WHERE e.salary > 100000"
  " ORDER BY e.id LIMIT 500;",
  "SELECT id, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC),"
  " sum(salary) OVER (ORDER BY id ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM emp LIMIT 2000;",
  "UPDATE emp SET salary = salary + 1000 WHERE dept IN (SELECT id FROM dept WHERE budget < 20000);",
  "DELETE FROM emp WHERE id % 97 = 0;",
  "CREATE VIEW rich AS SELECT dept, count(*) AS n FROM emp WHERE salary > 90000 GROUP BY dept;",
  "SELECT * FROM rich r JOIN dept d ON d.id = r.dept WHERE r.n > (SELECT avg(n) FROM rich);",
  "SELECT strftime('%Y', hired) y, count(*), total(salary) FROM emp GROUP BY y ORDER BY y;",
  "SELECT json_group_array(json_object('id', id, 'name', name)) FROM emp WHERE id < 300;",
  "SELECT count(*) FROM emp WHERE name LIKE 'emp-1%' OR notes GLOB '*dolor*';",
  "SELECT upper(name), lower(notes), length(notes), instr(notes, 'sit'), replace(name, '-', '_'),"
  " round(salary / 3.0, 2), abs(-salary), coalesce(manager, 0), typeof(manager) FROM emp LIMIT 3000;",
  "CREATE VIRTUAL TABLE doc USING fts5(title, body);",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
  " INSERT INTO doc SELECT 'title ' || i, 'word' || (i % 37) || ' other' || (i % 11) || ' text ' || i FROM n;",
  "SELECT rowid, bm25(doc) FROM doc WHERE doc MATCH 'word3 AND other5' ORDER BY rank LIMIT 50;",
  "CREATE VIRTUAL TABLE box USING rtree(id, x0, x1, y0, y1);",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
  " INSERT INTO box SELECT i, i % 100, i % 100 + 5, i / 20, i / 20 + 3 FROM n;",
  "SELECT count(*) FROM box WHERE x0 < 50 AND x1 > 20 AND y0 < 40;",
  "BEGIN; SAVEPOINT a; DELETE FROM audit; ROLLBACK TO a; RELEASE a; COMMIT;",
  "CREATE TEMP TABLE t AS SELECT dept, salary FROM emp ORDER BY random();",
  "SELECT dept, percentile_cont(salary, 0.5) FROM t GROUP BY dept;",
  "SELECT count(*) FROM audit;",
  "VACUUM;",
  "PRAGMA integrity_check;",
};

static long rows;
static int cb(void *u, int n, char **v, char **c) { (void)u; (void)n; (void)v; (void)c; rows++; return 0; }

static int run(const char *path) {
  sqlite3 *db;
  if (sqlite3_open(path, &db) != SQLITE_OK) { fprintf(stderr, "open %s failed\n", path); return 1; }
  for (size_t i = 0; i < sizeof script / sizeof *script; i++) {
    char *err = 0;
    if (sqlite3_exec(db, script[i], cb, 0, &err) != SQLITE_OK) {
      /* percentile_cont needs SQLITE_ENABLE_PERCENTILE; report but carry on */
      fprintf(stderr, "%s: statement %zu: %s\n", path, i, err);
      sqlite3_free(err);
    }
  }
  sqlite3_close(db);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s FILE.db\n", argv[0]); return 2; }
  remove(argv[1]);
  int rc = run(":memory:") | run(argv[1]);
  remove(argv[1]);
  printf("%ld result rows\n", rows);
  return rc;
}
EOF
if cmp -s "$src/workload.c.new" "$src/workload.c"; then rm "$src/workload.c.new"; else mv "$src/workload.c.new" "$src/workload.c"; fi

# --sources-only: the sources' folder (workload included), nothing built (for scripts/check-sqlite-gcov.sh)
if [ $sources_only = 1 ]; then echo "$src"; exit 0; fi

# 3. Build. Objects are rebuilt when the flags or a source changed.
DEFS="-DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS \
-DSQLITE_ENABLE_PERCENTILE -DSQLITE_ENABLE_STAT4 -DSQLITE_ENABLE_DBSTAT_VTAB \
-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_DQS=0"
FLAGS="--coverage -O0 $DEFS"
stamp="$obj/flags"
built=0
if [ "$(cat "$stamp" 2>/dev/null)" != "$CC $FLAGS" ]; then rm -f "$obj"/*.o "$obj"/*.gcno "$obj"/*.gcda "$obj/workload"; fi
for u in $unit workload; do
  if [ ! -s "$obj/$u.o" ] || [ "$src/$u.c" -nt "$obj/$u.o" ]; then
    echo "compiling $u.c" >&2
    (cd "$obj" && $CC $FLAGS -I"$src" -c "$src/$u.c" -o "$obj/$u.o")
    built=1
  fi
done
echo "$CC $FLAGS" >"$stamp"
if [ $built = 1 ] || [ ! -x "$obj/workload" ]; then
  $CC --coverage -o "$obj/workload" "$obj/$unit.o" "$obj/workload.o" -lm
  built=1
fi

# 4. The workload: fresh .gcda files (libgcov merges into existing ones).
if [ $built = 1 ] || [ $rerun = 1 ] || [ ! -s "$obj/$unit.gcda" ] || [ ! -s "$obj/workload.gcda" ]; then
  rm -f "$obj"/*.gcda
  echo "running the workload" >&2
  start=$(date +%s.%N)
  "$obj/workload" "$out/workload.db" >&2
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "workload took %.2f s\n", e - s }' >&2
fi
echo "$obj"
