#!/usr/bin/env bash
# Every test: installs what it needs (Debian packages, the extra GCCs, npm packages),
# checks formatting, lint and types, runs the unit tests on the committed fixtures,
# regenerates the fixtures with the real toolchains and runs the conformance suite on them.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "dependencies"
bash scripts/install-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/check-supply.sh
npm run --silent build:cli

step "format, lint, types"
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
npx eslint .
npx tsc --noEmit -p .

step "unit tests (committed fixtures)"
npx vitest run
bash scripts/fuzz.sh --seconds 12 # every parser under coverage-guided fuzzing, 12 s each; fails on any failure

step "regenerate fixtures with the real toolchains"
rm -rf build/fixtures
bash scripts/gen-fixtures.sh build/fixtures

step "conformance tests (fresh fixtures, real gcov)"
HVCOV_CONFORMANCE=1 HVCOV_FIXTURES="$PWD/build/fixtures" npx vitest run

step "app build and end-to-end tests in chromium"
# test/e2e/global-setup.ts builds the app (production) once for every e2e file
npx vitest run --config vitest.e2e.config.ts
