#!/usr/bin/env node
// The CLI is bundled by `npm run build:cli` (run by `npm ci` through `prepare`). CommonJS on
// purpose: an ES module entry starts Node's module loader, about 10 ms of every run.
'use strict';
const { main } = require('../dist/cli/hvcov.cjs');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Everything is written by now (files synchronously); once the terminal or pipe has taken all
  // of stdout and stderr too, exit at once instead of letting Node tear the heap down (~10 ms).
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
});
