// What the tool stamps on its outputs: package.json's version and, when built from a git
// checkout, the commit (with "-dirty" when tracked files differ from it). Used by the app's
// and the CLI's builds, so both stamp the same.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function buildInfo(root) {
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  let commit;
  try {
    const opts = { cwd: new URL('.', root), stdio: ['ignore', 'pipe', 'ignore'] };
    commit = execFileSync('git', ['rev-parse', 'HEAD'], opts).toString().trim();
    try {
      execFileSync('git', ['diff', '--quiet', 'HEAD', '--'], opts);
    } catch {
      commit += '-dirty';
    }
  } catch {
    commit = '';
  }
  return { version, commit };
}
