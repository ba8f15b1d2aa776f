#!/usr/bin/env bash
# Copies one real fixture run into public/example/ (served by the app from its own origin)
# with a manifest listing the files: the image, the hypervisor ELF, the .gcno and the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-gcc12-armhf-O0}
from=fixtures/gen/$config
to=public/example
[ -f "$from/meta.json" ] || { echo "make-example: no fixture at $from" >&2; exit 1; }
rm -rf "$to"
mkdir -p "$to"
cp "$from/image.bin" "$from/hv.elf" "$to/"
cp -R "$from/gcno" "$from/src" "$to/"
files=$(cd "$to" && find . -type f ! -name manifest.json | sed 's|^\./||' | LC_ALL=C sort)
node -e '
  const [name, list] = process.argv.slice(1);
  const files = list.split("\n").filter(Boolean);
  process.stdout.write(JSON.stringify({ name, files }, null, 2) + "\n");
' "$config" "$files" >"$to/manifest.json"
