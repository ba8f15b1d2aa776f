#!/usr/bin/env bash
# Builds Lua 5.4.4 (Debian's lua5.4 source package: the interpreter, 31 objects, about 11,000
# lines with code; its virtual machine dispatches with computed gotos, its errors unwind with
# longjmp) with coverage, each source compiled in the object folder by its absolute path, and
# runs a Lua workload (tables, strings, closures, coroutines, errors, goto, metamethods, the
# collector, utf8, io), leaving the .gcno/.gcda pairs in DIR/obj for the conformance checks
# (scripts/check-gcov-json.sh, check-lcov.sh, check-cobertura.sh). Idempotent: the download
# and the objects are reused while the compiler and flags are the same; the workload runs
# again only when the .gcda files are missing.
#
#   CC=gcc-12 LUA_OPT=-O2 bash bench/lua-program.sh --out DIR
#
# Layout: DIR/dl (the .dsc and the orig tarball, whose sha256 is checked against the .dsc),
# DIR/src/lua-5.4.4, DIR/obj. Nothing from Lua is committed. Prints the object folder on its
# last line.
set -euo pipefail

. "$(dirname "$0")/program-lib.sh"
program_out "$@"
CC=${CC:-gcc-12}
OPT=${LUA_OPT:--O0}
DSC=lua5.4_5.4.4-3+deb12u1.dsc
TOP=lua-5.4.4
src="$out/src/$TOP"
obj="$out/obj"

# 1. Sources: the orig tarball named in the .dsc, checked against its Checksums-Sha256.
program_sources l/lua5.4 "$DSC" "$TOP" src/lvm.c

# 2. Build: every source but luac.c, then the interpreter.
flags="--coverage $OPT -std=gnu99 -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -DLUA_USE_DLOPEN"
if [ "$(cat "$obj/flags" 2>/dev/null)" != "$CC $flags" ] || [ ! -x "$obj/lua" ]; then
  rm -rf "$obj" && mkdir -p "$obj"
  echo "building $TOP with $CC $flags" >&2
  for f in "$src"/src/*.c; do
    [ "$(basename "$f")" = luac.c ] && continue
    (cd "$obj" && $CC $flags -c "$f" -o "$(basename "$f" .c).o")
  done
  (cd "$obj" && $CC --coverage -o lua ./*.o -lm -ldl)
  echo "$CC $flags" > "$obj/flags"
fi

# 3. The workload.
cat > "$out/workload.lua" <<'LUA'
local t = {}
for i = 1, 2000 do t[i] = (i * 7919) % 1000 end
table.sort(t)
local s = {}
for i = 1, 300 do s[#s + 1] = string.format("%d:%x:%5.2f", i, i * 3, i / 7) end
local joined = table.concat(s, ",")
local count = 0
for w in joined:gmatch("(%d+):") do count = count + tonumber(w) end
assert(count > 0)
print(("x"):rep(10), joined:sub(1, 20), joined:find("100:"), joined:gsub("%d", "#", 5))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local co = coroutine.wrap(function(a)
  for i = 1, 5 do a = coroutine.yield(a + i) end
  return "done"
end)
for i = 1, 6 do print(co(i)) end
print(pcall(function() error({code = 42}) end))
print(pcall(function() local x = nil; return x.y end))
print(select('#', pcall(error)))
local ok, msg = xpcall(function() error("boom", 2) end, debug.traceback)
print(ok, #msg > 0)
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, j, " ")
    ::continue::
  end
end
print()
local mt = {__index = function(_, k) return k * 2 end, __add = function(a, b) return 99 end,
  __tostring = function() return "obj" end, __len = function() return 7 end,
  __call = function(self, x) return x + 1 end, __eq = function() return true end,
  __lt = function() return true end, __le = function() return false end,
  __concat = function() return "cat" end, __close = function() end}
local o = setmetatable({}, mt)
print(o[21], o + o, tostring(o), #o, o(1), o == setmetatable({}, mt), o < o, o <= o, o .. "z")
do local c <close> = o end
local big = {}
for i = 1, 20000 do big[i] = {i, tostring(i)} end
big = nil
collectgarbage(); collectgarbage("step"); print(collectgarbage("count") > 0)
print(math.floor(3.7), math.max(1, 9, 3), math.type(1), math.type(1.0), 7 // 2, 7 % -3, 2^10, 1 << 62, ~5, 5 & 3 | 8 ~ 1)
print(math.tointeger(3.0), 0x7fffffffffffffff + 1, -0.0, 1/0, -1/0, math.huge // 1)
print(string.pack("i4", 100):byte(1, -1), string.unpack("i4", string.pack("i4", -3)))
print(utf8.char(72, 228, 8364), utf8.len("häh"), #utf8.char(0x10FFFF))
for p, c in utf8.codes("aä€") do io.write(p, ":", c, " ") end print()
print(os.time{year=2020, month=1, day=1, hour=0} ~= nil, type(os.clock()), os.date("!%Y", 0))
local f = load("return 1 + ...")
print(f(41), load("syntax error here"))
print(string.dump(fib) ~= nil)
local mod = {}
for k in pairs(string) do mod[#mod + 1] = k end
table.sort(mod); print(#mod, table.unpack(mod, 1, 3))
print(table.move({1, 2, 3}, 1, 3, 2)[3], table.remove({1, 2, 3}))
print(string.rep("ab", 3, "-"), ("Hello"):upper(), ("Hello"):lower(), ("  x "):len(), ("abc"):reverse())
print(("%q"):format("a\nb\0"), ("%g"):format(1e300), tostring(1e15), tostring(2^63), 10 == 10.0)
local fh = io.tmpfile(); fh:write("line1\nline2\n", 42, "\n"); fh:seek("set")
for l in fh:lines() do io.write("[", l, "]") end print(); fh:close()
print(next({}), rawequal(o, o), rawlen({1, 2}), rawget(o, 1), select(-1, 1, 2, 3))
local weak = setmetatable({}, {__mode = "k"}); weak[{}] = 1; collectgarbage()
print(string.format("%s %10.3f %-5d| %c %o %e %a", "s", math.pi, 42, 65, 8, 12345.678, 1.0))
print(pcall(string.rep, "x", -1), pcall(setmetatable, 1, {}), pcall(string.format, "%d", 1.5))
local r, i = 0, 0
repeat i = i + 1; r = r + i until i >= 100
while r > 0 do r = r - 37 end
print(r, i)
LUA
if [ -z "$(ls "$obj"/*.gcda 2>/dev/null)" ]; then
  (cd "$obj" && ./lua "$out/workload.lua") > "$obj/workload.out" 2>&1 ||
    { tail -n 20 "$obj/workload.out" >&2; echo "the workload failed" >&2; exit 1; }
fi
echo "$obj"
