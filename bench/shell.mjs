/** What the command-line benchmarks share: running a tool, and stopping with a message. */
import { spawnSync } from 'node:child_process';

/** Runs `cmd` and returns what spawnSync returns (text output); throws when it cannot start. */
export function sh(cmd, argv, o = {}) {
  const p = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 << 20, ...o });
  if (p.error) throw p.error;
  return p;
}

/** A function that prints `name: message` and exits with status 2 (errors, not results). */
export const dieAs = (name) => (msg) => {
  console.error(`${name}: ${msg}`);
  process.exit(2);
};
