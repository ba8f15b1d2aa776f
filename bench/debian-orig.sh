#!/usr/bin/env bash
# Fetches a Debian source package's upstream tarball, checked: the .dsc from the pool, then
# the orig tarball it names, whose sha256 must be the .dsc's Checksums-Sha256 entry. Both are
# kept in DL_DIR and reused when present and intact. Prints the tarball's path.
#
#   bash bench/debian-orig.sh POOL_DIR DSC DL_DIR      e.g. t/tcl8.6 tcl8.6_8.6.13+dfsg-2.dsc dl/
#
# POOL_DIR is the package's folder under the pool ($DEBIAN_POOL, default Debian's main pool).
set -euo pipefail
dir=${1:?usage: debian-orig.sh POOL_DIR DSC DL_DIR}
dsc=${2:?usage: debian-orig.sh POOL_DIR DSC DL_DIR}
dl=${3:?usage: debian-orig.sh POOL_DIR DSC DL_DIR}
pool=${DEBIAN_POOL:-http://deb.debian.org/debian/pool/main}
mkdir -p "$dl"
[ -s "$dl/$dsc" ] || curl -fsSL -o "$dl/$dsc" "$pool/$dir/$dsc"
read -r sum size name < <(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 }
  on && $3 ~ /\.orig\.tar\.[a-z]+$/ { print $1, $2, $3 }' "$dl/$dsc")
[ -n "${name:-}" ] || { echo "no orig tarball in $dsc" >&2; exit 1; }
if ! echo "$sum  $dl/$name" | sha256sum -c --status 2> /dev/null; then
  echo "fetching $name ($size bytes) from $pool" >&2
  curl -fsSL -o "$dl/$name.part" "$pool/$dir/$name"
  echo "$sum  $dl/$name.part" | sha256sum -c --status || { echo "$name: sha256 mismatch" >&2; exit 1; }
  mv "$dl/$name.part" "$dl/$name"
fi
echo "$dl/$name"
