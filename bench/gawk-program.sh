#!/usr/bin/env bash
# Builds GNU awk 5.2.1 (Debian's gawk source package; about 36 objects, 28,000 lines with
# code, among them bison's awkgram.c and command.c, whose #line directives name awkgram.y and
# awkgram.c relative to the folder bison ran in, and the regex/dfa/getopt objects of
# support/ in a folder of their own) with coverage, out of tree, and runs an awk workload,
# leaving the .gcno/.gcda pairs under DIR/obj for the conformance checks
# (test/conformance/large-programs.test.ts). configure runs with the same flags, so its
# probes leave a-conftest.gcno behind, naming a conftest.c that is gone, as in real builds.
# Idempotent: the download and the objects are reused while the compiler and flags are the
# same; the workload runs again only when the .gcda files are missing.
#
#   CC=gcc-12 GAWK_OPT=-O2 bash bench/gawk-program.sh --out DIR
#
# Layout: DIR/dl (the .dsc and the orig tarball, whose sha256 is checked against the .dsc),
# DIR/src/gawk-5.2.1, DIR/obj (configure's build folder). Nothing from gawk is committed.
# Prints the object folder on its last line.
set -euo pipefail

. "$(dirname "$0")/program-lib.sh"
program_out "$@"
CC=${CC:-gcc-12}
OPT=${GAWK_OPT:--O0}
DSC=gawk_5.2.1-2.dsc
TOP=gawk-5.2.1
src="$out/src/$TOP"
obj="$out/obj"

# 1. Sources: the orig tarball named in the .dsc, checked against its Checksums-Sha256.
program_sources g/gawk "$DSC" "$TOP" awkgram.y

# 2. Build: configure (its probes compiled with --coverage too), support/, then gawk.
flags="$OPT --coverage"
if [ "$(cat "$obj/flags" 2>/dev/null)" != "$CC $flags" ] || [ ! -x "$obj/gawk" ]; then
  rm -rf "$obj" && mkdir -p "$obj"
  echo "building $TOP with $CC $flags" >&2
  (cd "$obj" && "$src/configure" -q CC="$CC" CFLAGS="$flags" --disable-extensions --disable-nls \
    --without-readline --without-mpfr --disable-pma > configure.log 2>&1) ||
    { tail -n 20 "$obj/configure.log" >&2; exit 1; }
  (cd "$obj" && make -j2 -C support > make.log 2>&1 && make -j2 gawk >> make.log 2>&1) ||
    { tail -n 20 "$obj/make.log" >&2; exit 1; }
  echo "$CC $flags" > "$obj/flags"
fi

# 3. The workload: arrays and sorting, regexps, printf, user functions, getline from
#    commands, pipes to sort, switch, ranges, fields, --lint, --posix, --profile and a
#    syntax error. Deterministic (srand with a seed; time only compared).
cat > "$out/workload.awk" <<'AWK'
function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
function rev(s,   r, i) { for (i = length(s); i > 0; i--) r = r substr(s, i, 1); return r }
BEGIN {
  FS = ","; OFS = "|"
  for (i = 1; i <= 200; i++) { a[i % 17] += i; b["k" i] = i * i }
  n = asort(a, sa); m = asorti(b, sb)
  printf "%d %d %s %s\n", n, m, sa[1], sb[1]
  PROCINFO["sorted_in"] = "@ind_num_desc"
  for (k in a) { printf "%s=%s ", k, a[k]; if (++c > 5) break }
  print ""
  print fact(10), rev("hypervisor"), toupper("abc"), tolower("XyZ"), length("hello")
  s = "the quick brown fox"; gsub(/o/, "0", s); print s, sub(/q[a-z]+/, "Q", s), s
  print match("foobar123baz", /[0-9]+/), RSTART, RLENGTH, index("abc", "c")
  split("a:b:c:d", parts, ":"); print parts[2], length(parts)
  print sprintf("%5.2f|%-6s|%x|%o|%e|%c", 3.14159, "ab", 255, 8, 12345.678, 65)
  print gensub(/(a)(b)/, "\\2\\1", "g", "abab"), strftime("%Y", 0, 1), (systime() > 0)
  print substr("hello", 2, 3), 7 % 3, 2 ** 10, int(-3.7), sqrt(16), exp(0), log(1), sin(0), cos(0), atan2(0, -1)
  srand(1); x = rand(); print (x >= 0 && x < 1)
  print and(12, 10), or(12, 10), xor(12, 10), lshift(1, 4), rshift(16, 2), (compl(0) > 0)
  print strtonum("0x1F"), strtonum("017"), typeof(1), typeof("s"), typeof(zz), isarray(a)
  switch (3) { case 1: print "one"; break; case /3/: print "three"; break; default: print "d" }
  for (i = 0; i < 3; i++) { if (i == 1) continue; print "i", i }
  do { j++ } while (j < 5); print j
  while ((("echo x y z") | getline line) > 0) print "got", line
  close("echo x y z")
  cmd = "sort -r"; print "b" | cmd; print "a" | cmd; print "c" | cmd; close(cmd)
  delete a; print length(a)
  patsplit("abc123def45", pp, /[0-9]+/, seps); print pp[1], pp[2], seps[0]
  print (length(ENVIRON) > 0), ARGC
}
/^#/ { next }
NF > 2 { $2 = toupper($2); print NR, NF, $0; fields += NF }
$1 ~ /^[0-9]+$/ { sum += $1 }
/end/,/stop/ { print "range", $0 }
END { print "sum", sum, "fields", fields, NR; printf("%s\n", "done") > "/dev/stderr" }
AWK
printf '# comment\n1,alpha,x\n2,beta,y,z\nend,now\n3,gamma\nstop,here\n44,delta,q\n' > "$out/data.csv"
if [ -z "$(ls "$obj"/*.gcda 2>/dev/null)" ]; then
  (
    cd "$obj"
    ./gawk -f "$out/workload.awk" "$out/data.csv"
    ./gawk -f "$out/workload.awk" "$out/data.csv"
    ./gawk --lint 'BEGIN { x = 1; x = x y; print substr("a", 0) }' || true
    ./gawk --posix '{ print $1 }' "$out/data.csv"
    ./gawk --dump-variables=/dev/null --profile=/dev/null -f "$out/workload.awk" "$out/data.csv"
    echo 'BEGIN { syntax error (' > bad.awk
    ./gawk -f bad.awk || true
  ) > "$obj/workload.out" 2>&1 || { tail -n 20 "$obj/workload.out" >&2; echo "the workload failed" >&2; exit 1; }
fi
echo "$obj"
