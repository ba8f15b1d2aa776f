#!/usr/bin/env bash
# Builds Tcl 8.6 (Debian's tcl8.6 source: the interpreter, its bytecode compiler, regexp,
# TclOO, zlib channels, libtommath bignums; ~160 translation units, ~230,000 lines of C)
# with gcc-12 --coverage -O0 and runs a deterministic Tcl workload on its tclsh, leaving one
# .gcno/.gcda pair per object in one directory, for bench/report-bench.mjs --program tcl.
# Idempotent: the download, the sources and the objects are reused when present; the
# workload is rerun only when the .gcda files are missing (or --rerun).
#
#   bash bench/large-program-multi.sh [--out DIR] [--rerun]
#
# CC (default gcc-12) and TCL_OPT (default -O0: the optimisation and other flags added to
# --coverage) build it another way, e.g. for scripts/check-tcl.sh:
#   CC=/opt/debian-gcc/15/bin/gcc-15 TCL_OPT="-O2 -fcondition-coverage" \
#     bash bench/large-program-multi.sh --out build/check-tcl/gcc15-O2
#
# Default DIR: build/bench/tcl. Layout: DIR/dl (the Debian .dsc and orig tarball, whose
# sha256 is checked against the .dsc), DIR/src/tcl8.6.13 (the sources, configured by
# absolute path, so every .gcno names its source absolutely), DIR/obj (the out-of-tree build:
# the .o/.gcno/.gcda, one directory, no two objects with the same name), DIR/workload.tcl.
# DIR/obj/sources.txt lists the program's C files: every .c compiled and every header of
# the Tcl tree they include (from gcc -MMD), one absolute path per line.
# Needs zlib1g-dev (Tcl links the system zlib). Nothing from Tcl is committed.
# Prints the object directory on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=
rerun=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --rerun) rerun=1; shift ;;
    *) echo "usage: $0 [--out DIR] [--rerun]" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out="$here/build/bench/tcl"
CC=${CC:-gcc-12}
DSC=tcl8.6_8.6.13+dfsg-2.dsc
TOP=tcl8.6.13

src="$out/src/$TOP"
obj="$out/obj"
mkdir -p "$out/dl" "$out/src" "$obj"

if [ ! -e /usr/include/zlib.h ]; then
  echo "zlib.h is missing: apt-get install -y zlib1g-dev" >&2
  exit 1
fi

# 1. Sources: the orig tarball named in the .dsc, checked against its Checksums-Sha256.
if [ ! -s "$src/unix/configure" ]; then
  tarball=$(bash "$here/bench/debian-orig.sh" t/tcl8.6 "$DSC" "$out/dl")
  rm -rf "$src"
  tar -xzf "$tarball" -C "$out/src"
  echo "$(basename "$tarball"): sha256 ok, extracted to $src" >&2
fi

# 2. The workload: a fixed Tcl script (lists, dicts, strings, regexp, bignums, expr,
#    format/scan, binary, encodings, clock in UTC, files and channels, zlib, TclOO,
#    coroutines, namespaces, traces, safe interps, the event loop). Fully deterministic:
#    no wall-clock time, no randomness without a seed, no threads, and ASLR is off
#    while it runs (pointer-keyed hash tables would otherwise vary from run to run).
cat >"$out/workload.tcl.new" <<'EOF'
set n 0
proc bump {args} { incr ::n }

# lists, sorting, dicts, arrays
set l {}
for {set i 0} {$i < 20000} {incr i} { lappend l [expr {($i * 7919) % 10007}] }
set s [lsort -integer -unique $l]
set d [dict create]
foreach x $l { dict incr d [expr {$x % 97}] }
dict for {k v} $d { incr total $v }
array set arr {}
foreach x [lrange $l 0 4999] { set arr(k$x) [string repeat x [expr {$x % 13}]] }
set names [lsort -dictionary [array names arr]]
set found [lsearch -sorted -dictionary $names k5000]
set m [lmap x [lrange $s 0 999] { expr {$x * $x} }]
set r [lreverse [lreplace $m 10 20 a b c]]
set j [join [lrange $r 0 50] ,]
set sp [split $j ,]
lassign $sp first second rest

# strings and regexp
set text [string repeat "The quick brown fox jumps over the lazy dog 12345. " 500]
set up [string toupper $text]
set cnt [regexp -all -inline {\m[a-z]+\M} [string range $text 0 4999]]
set sub [regsub -all {(\w+) (\w+)} [string range $text 0 1999] {\2 \1}]
set idx [string first lazy $text 1000]
set map [string map {quick slow brown red} [string range $text 0 999]]
set cls [lmap c [split "aZ9 _\t" {}] { string is alnum $c }]
set fmt [format {%5d|%-8s|%08.3f|%x|%e|%c} 42 abc 3.14159 255 12345.678 65]
scan "12 ab 3.5" {%d %s %f} si ss sf
set re [regexp -nocase -indices {(f[a-z]+) (j[a-z]+)} $text all g1 g2]
set lines [split [string trim [string repeat "line\n" 100]] \n]
set cmp [string compare -nocase Hello hello]
set rev [string reverse $text]
set tot [string totitle "hello world"]

# numbers: doubles, wide integers, bignums (libtommath)
set f 1
for {set i 1} {$i <= 300} {incr i} { set f [expr {$f * $i}] }
set big [expr {$f / 3 ** 50 + 2 ** 200 - 1}]
set bs [expr {$big % 1000000007}]
set sq [expr {isqrt($f)}]
set sh [expr {($big >> 17) ^ ($big << 3)}]
set ff [expr {sin(1.0) + cos(2.0) * exp(0.5) / log(10.0) + atan2(1, 2) + pow(2.5, 3.1) + fmod(10.5, 3)}]
set dbl [expr {double($big) / 1e300}]
set ints [expr {int(1e18) + wide(7) * 13 - entier(2.5e30)}]
set hexs [format %llx $big]

# binary, encodings, zlib
set bin [binary format {I S c* f d} 0x12345678 513 {1 2 3} 1.5 2.25]
binary scan $bin {I S c3 f d} bi bs2 bc bf bd
set u [encoding convertto utf-8 "h\u00e9llo w\u00f6rld \u4e2d\u6587"]
set back [encoding convertfrom utf-8 $u]
set iso [encoding convertto iso8859-1 "caf\u00e9"]
set sj [encoding convertto shiftjis "\u65e5\u672c"]
set z [zlib compress [string repeat abcdefgh 4000]]
set uz [zlib decompress $z]
set gz [zlib gzip $text -level 9]
set ugz [zlib gunzip $gz]
set crc [zlib crc32 $text]
set b64 [binary encode base64 [string range $text 0 3000]]
set ub64 [binary decode base64 $b64]
set hx [binary encode hex $iso]

# clock, in UTC, from fixed times
set t0 1700000000
for {set i 0} {$i < 50} {incr i} {
  set t [expr {$t0 + $i * 86400 * 37}]
  set c [clock format $t -format {%Y-%m-%d %H:%M:%S %A %B %j %U} -gmt 1]
  set p [clock scan $c -format {%Y-%m-%d %H:%M:%S %A %B %j %U} -gmt 1]
}
set add [clock add $t0 3 months 2 days -gmt 1]

# files and channels, in a scratch directory
set dir [file join [pwd] workload-scratch]
file delete -force $dir
file mkdir $dir
for {set i 0} {$i < 40} {incr i} {
  set ch [open [file join $dir f$i.txt] w]
  fconfigure $ch -translation lf -encoding utf-8 -buffering full
  for {set k 0} {$k < 200} {incr k} { puts $ch "row $i $k [expr {$i * $k}]" }
  close $ch
}
set sum 0
foreach fn [lsort [glob -directory $dir *.txt]] {
  set ch [open $fn r]
  while {[gets $ch line] >= 0} { incr sum [lindex $line 3] }
  seek $ch 0
  set all [read $ch]
  close $ch
  file stat $fn st
}
set zc [open [file join $dir z.gz] wb]
zlib push gzip $zc
puts -nonewline $zc [string repeat "zlib channel " 1000]
close $zc
set zc [open [file join $dir z.gz] rb]
zlib push gunzip $zc
set zdata [read $zc]
close $zc
file copy [file join $dir f1.txt] [file join $dir copy.txt]
file rename [file join $dir copy.txt] [file join $dir moved.txt]
set sz [file size [file join $dir moved.txt]]
set parts [file split [file normalize [file join $dir a .. b c.txt]]]
lassign [chan pipe] pr pw
fconfigure $pw -buffering line
puts $pw "through a pipe"
gets $pr piped
close $pw
close $pr
file delete -force $dir

# namespaces, procs, traces, uplevel/upvar, errors
namespace eval ::shapes {
  namespace export area
  variable count 0
  proc area {kind args} {
    variable count
    incr count
    switch -- $kind {
      square { lassign $args s; return [expr {$s * $s}] }
      rect { lassign $args w h; return [expr {$w * $h}] }
      circle { lassign $args r; return [expr {3.14159 * $r * $r}] }
      default { error "unknown shape $kind" }
    }
  }
}
namespace import ::shapes::area
set areas 0
foreach k {square rect circle square} { set areas [expr {$areas + [area $k 3 4]}] }
catch {area hexagon 1} msg opts
try { error boom } on error {e o} { set caught $e } finally { bump }
proc setter {var val} { upvar 1 $var v; set v $val }
setter upv 17
trace add variable watched write bump
for {set i 0} {$i < 100} {incr i} { set watched $i }
trace add execution area enter bump
area square 2
proc fib {k} { if {$k < 2} { return $k }; expr {[fib [expr {$k - 1}]] + [fib [expr {$k - 2}]]} }
set fb [fib 20]
set al [apply {{x y} { expr {$x ** $y} }} 3 40]
interp alias {} twice {} apply {{x} { expr {2 * $x} }}
set tw [twice 21]

# TclOO
oo::class create Account {
  variable balance log
  constructor {{initial 0}} { set balance $initial; set log {} }
  method deposit {x} { incr balance $x; lappend log +$x; return $balance }
  method withdraw {x} {
    if {$x > $balance} { throw {ACCOUNT OVERDRAWN} "overdrawn" }
    incr balance -$x; lappend log -$x; return $balance
  }
  method balance {} { return $balance }
}
oo::class create Savings {
  superclass Account
  variable rate
  constructor {r args} { set rate $r; next {*}$args }
  method interest {} { my deposit [expr {int([my balance] * $rate)}] }
  filter audit
  method audit {args} { bump; next {*}$args }
}
set acc [Savings new 0.05 1000]
for {set i 0} {$i < 200} {incr i} { $acc deposit $i; catch {$acc withdraw [expr {$i * 3}]} }
$acc interest
set info [info object class $acc]
oo::objdefine $acc method extra {} { return extra }
$acc extra
$acc destroy

# coroutines, the event loop
proc gen {lim} { yield; for {set i 0} {$i < $lim} {incr i} { yield $i }; return done }
coroutine g gen 500
set gs 0
while {[set v [g]] ne "done"} { incr gs $v }
set ticks 0
# idle callbacks only: how often a timer is polled would depend on the clock
proc tick {k} { incr ::ticks; if {$k > 0} { after idle [list tick [expr {$k - 1}]] } else { set ::finished 1 } }
after idle {tick 200}
vwait finished
set tid [after idle {set ::never 1}]
set pending [after info $tid]
after cancel $tid
update

# safe interpreters, info, subst, dict with/update
set si [interp create -safe]
interp eval $si { set x [string repeat ab 100]; proc p {} { return [llength [info commands]] }; p }
interp delete $si
set slave [interp create]
$slave eval [list set v 42]
interp delete $slave
set sb [subst {sum=[expr {1 + 2}] txt=$fmt}]
set dd [dict create a 1 b 2 c [dict create x 10]]
dict with dd { set a 100 }
dict update dd b bb { incr bb 5 }
set dm [dict map {k v} $dd { string length $v }]
set pkgs [package names]
set ver [info patchlevel]

puts "workload: n=$n sum=$sum fib=$fb ticks=$ticks gs=$gs bs=$bs"
EOF
if cmp -s "$out/workload.tcl.new" "$out/workload.tcl"; then rm "$out/workload.tcl.new"; else mv "$out/workload.tcl.new" "$out/workload.tcl"; fi

# 3. Build, out of tree. Objects are rebuilt when the flags changed (configure and make
#    skip up-to-date work otherwise). Threads off: no notifier thread, so counts do not
#    depend on timing. -MMD lists each object's headers for sources.txt.
FLAGS="--coverage ${TCL_OPT:--O0} -MMD"
stamp="$obj/flags"
built=0
if [ "$(cat "$stamp" 2>/dev/null)" != "$CC $FLAGS" ]; then
  rm -rf "$obj" && mkdir -p "$obj"
  echo "configuring $TOP" >&2
  (cd "$obj" && CC=$CC CFLAGS="$FLAGS" LDFLAGS=--coverage "$src/unix/configure" \
    --disable-shared --disable-threads >configure.log 2>&1) || { tail -20 "$obj/configure.log" >&2; exit 1; }
  # configure's test programs were compiled with --coverage too: drop their notes.
  rm -f "$obj"/*conftest*
fi
if [ ! -x "$obj/tclsh" ] || [ -n "$(find "$src/generic" "$src/unix" "$src/libtommath" -newer "$obj/tclsh" -name '*.[ch]' -print -quit)" ]; then
  echo "building $TOP (make -j$(nproc) tclsh)" >&2
  start=$(date +%s.%N)
  # CFLAGS_OPTIMIZE (-O2) comes before CFLAGS on Tcl's compile lines: empty it.
  (cd "$obj" && make -j"$(nproc)" CFLAGS_OPTIMIZE= tclsh >make.log 2>&1) || { tail -20 "$obj/make.log" >&2; exit 1; }
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "build took %.1f s\n", e - s }' >&2
  built=1
fi
echo "$CC $FLAGS" >"$stamp"
# sources.txt: the compiled .c files and the Tcl headers they include (not system headers).
cat "$obj"/*.d | tr ' \\' '\n\n' | grep -E '\.[ch]$' | grep -F "$src/" |
  xargs realpath | sort -u >"$obj/sources.txt"

# 4. The workload: fresh .gcda files (libgcov merges into existing ones).
if [ $built = 1 ] || [ $rerun = 1 ] || [ -z "$(ls "$obj"/*.gcda 2>/dev/null)" ]; then
  rm -f "$obj"/*.gcda
  echo "running the workload" >&2
  start=$(date +%s.%N)
  # Standard channels fixed too: Tcl's start-up checks whether they can seek.
  if ! (cd "$out" && TCL_LIBRARY="$src/library" setarch "$(uname -m)" -R "$obj/tclsh" "$out/workload.tcl" \
    </dev/null >"$out/workload.out" 2>&1); then
    cat "$out/workload.out" >&2
    rm -f "$obj"/*.gcda
    echo "the workload failed" >&2
    exit 1
  fi
  cat "$out/workload.out" >&2
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "workload took %.2f s\n", e - s }' >&2
fi
echo "$obj"
