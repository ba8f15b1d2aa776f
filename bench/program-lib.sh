# Sourced by the bench/*-program.sh build scripts: their --out argument and their sources
# from a Debian source package.

# program_out ARGS...: sets `out` (absolute) from `--out DIR`, or exits with the usage.
program_out() {
  out=
  while [ $# -gt 0 ]; do
    case "$1" in
      --out) out=$(realpath -m "$2"); shift 2 ;;
      *) echo "usage: $0 --out DIR" >&2; exit 2 ;;
    esac
  done
  [ -n "$out" ] || { echo "usage: $0 --out DIR" >&2; exit 2; }
}

# program_sources POOL_DIR DSC TOP MARKER: $out/src/TOP from the orig tarball the .dsc names
# (sha256 checked by debian-orig.sh, downloads kept in $out/dl), unless TOP/MARKER is there.
program_sources() {
  local pool=$1 dsc=$2 top=$3 marker=$4 tarball
  mkdir -p "$out/dl" "$out/src"
  if [ ! -s "$out/src/$top/$marker" ]; then
    tarball=$(bash "$(dirname "${BASH_SOURCE[0]}")/debian-orig.sh" "$pool" "$dsc" "$out/dl")
    rm -rf "${out:?}/src/$top"
    tar -xf "$tarball" -C "$out/src"
    echo "$(basename "$tarball"): sha256 ok, extracted to $out/src/$top" >&2
  fi
}
