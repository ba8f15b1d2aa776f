#!/usr/bin/env node
// The CLI is bundled by `npm run build:cli` (run by `npm ci` through `prepare`).
import { main } from '../dist/cli/hvcov.mjs';

process.exitCode = await main(process.argv.slice(2));
