#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers (test/fuzz/):
#   scripts/fuzz.sh [--seconds N] [--seed S] [--out DIR] [target...]
# Runs each target (default: all) for N seconds (default 60) and prints per target: executions,
# inputs that reached new coverage, distinct failures. Exits 1 on any failure; failing inputs
# go to DIR/crashes/<target>/ (default DIR: build/fuzz), the corpus grown to DIR/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/fuzz
bundle=$(mktemp build/fuzz/fuzz-XXXXXX.mjs)
trap 'rm -f "$bundle"' EXIT
npx esbuild test/fuzz/main.ts --bundle --platform=node --format=esm --target=node20 \
  --outfile="$bundle" --allow-overwrite --log-level=warning
node "$bundle" "$@"
