#!/bin/sh
# Installs the compilers, emulators and report tools that the fixtures and
# the conformance tests use, on Debian 12 (bookworm), as root. Idempotent:
# apt is skipped entirely when everything is already there, and
# scripts/debian-gcc.sh (debian-lcov.sh) returns at once for a GCC (lcov 2) it
# already installed.
#
#   scripts/install-deps.sh        quiet on success, one summary line
set -eu

here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# "what must exist:package". A path is tested with -e, anything else with
# command -v. cc comes from the gcc package and scripts/debian-gcc.sh needs it;
# lcov 2 (scripts/debian-lcov.sh) runs on bookworm's perl modules: those lcov
# 1.16 does not pull in are listed by file. zlib1g-dev and curl: the Tcl build of
# test/conformance/large-programs.test.ts.
needs="
gcc-11:gcc-11
gcc-12:gcc-12
g++-11:g++-11
g++-12:g++-12
cc:gcc
aarch64-linux-gnu-gcc-12:gcc-aarch64-linux-gnu
arm-linux-gnueabihf-gcc-12:gcc-arm-linux-gnueabihf
powerpc-linux-gnu-gcc-12:gcc-powerpc-linux-gnu
s390x-linux-gnu-gcc-12:gcc-s390x-linux-gnu
/usr/aarch64-linux-gnu/include/stdio.h:libc6-dev-arm64-cross
/usr/arm-linux-gnueabihf/include/stdio.h:libc6-dev-armhf-cross
/usr/powerpc-linux-gnu/include/stdio.h:libc6-dev-powerpc-cross
/usr/s390x-linux-gnu/include/stdio.h:libc6-dev-s390x-cross
qemu-aarch64:qemu-user
qemu-arm:qemu-user
qemu-ppc:qemu-user
qemu-s390x:qemu-user
lcov:lcov
/usr/share/perl5/Capture/Tiny.pm:libcapture-tiny-perl
/usr/lib/x86_64-linux-gnu/perl5/5.36/DateTime.pm:libdatetime-perl
gcovr:gcovr
chromium:chromium
/usr/include/zlib.h:zlib1g-dev
curl:curl
/usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring
"

missing=
for n in $needs; do
  what=${n%%:*} pkg=${n#*:}
  case $what in
    /*) [ -e "$what" ] && continue ;;
    *) command -v "$what" >/dev/null 2>&1 && continue ;;
  esac
  case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done

fail() {
  echo "install-deps: $1 failed:" >&2
  cat "$log" >&2
  exit 1
}

installed=0
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || { echo "install-deps: run as root to install:$missing" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  # update only when there are no package lists at all, or the install fails on stale ones
  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    apt-get -qq update >"$log" 2>&1 || fail "apt-get update"
  fi
  # shellcheck disable=SC2086
  if ! apt-get install -y -qq $missing >"$log" 2>&1; then
    apt-get -qq update >"$log" 2>&1 || fail "apt-get update"
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >"$log" 2>&1 || fail "apt-get install$missing"
  fi
  installed=$(echo $missing | wc -w)
fi

for v in 9 10 13 14 15; do
  sh "$here/debian-gcc.sh" "$v" >"$log" 2>&1 || fail "scripts/debian-gcc.sh $v"
done
sh "$here/debian-lcov.sh" >"$log" 2>&1 || fail "scripts/debian-lcov.sh"

if [ "$installed" = 0 ]; then
  echo "install-deps: all present (GCC 9-15, cross gcc-12, qemu-user, lcov 1.16 and 2, gcovr, chromium)"
else
  echo "install-deps: installed$missing; GCC 9-15, cross gcc-12, qemu-user, lcov 1.16 and 2, gcovr, chromium ready"
fi
