// Bundles the CLI (dist/cli/hvcov.cjs) with the version and commit it stamps on its outputs.
import { build } from 'esbuild';
import { buildInfo } from './build-info.mjs';

const root = new URL('../', import.meta.url);
const { version, commit } = buildInfo(root);
await build({
  entryPoints: [new URL('src/cli/main.ts', root).pathname],
  bundle: true,
  platform: 'node',
  // CommonJS: bin/hvcov.cjs loads it without starting Node's ES module loader
  format: 'cjs',
  target: 'node20',
  outfile: new URL('dist/cli/hvcov.cjs', root).pathname,
  logLevel: 'warning',
  define: { __HVCOV_VERSION__: JSON.stringify(version), __HVCOV_COMMIT__: JSON.stringify(commit) },
});
