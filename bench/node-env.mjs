/**
 * The environment the benchmarks time their tools in.
 *
 * NODE_EXTRA_CA_CERTS makes every Node process read and parse that CA bundle while it
 * starts, before any script runs (Node 20 loads it eagerly). Sandboxes and corporate
 * networks set it for a TLS proxy; on the development machine it costs about 70 ms per
 * start. hvcov never opens a TLS connection, and the C tools it is compared with do not
 * start a JavaScript runtime, so the timed runs leave it out unless `--keep-env` is given.
 * Either way the benchmark prints what the variable costs here, so both figures are known.
 */
import { spawnSync } from 'node:child_process';

const VAR = 'NODE_EXTRA_CA_CERTS';

/** Best wall time in ms of `node -e 0` in `env`, over `n` runs. */
function nodeStart(env, n = 5) {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { env });
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

/**
 * `{ env, note }`: the environment for the timed runs, and a line for the report saying
 * whether NODE_EXTRA_CA_CERTS was removed and what a bare Node start costs with and without it.
 */
export function benchEnv(keep) {
  const env = { ...process.env };
  if (env[VAR] === undefined) return { env, note: `env:      ${VAR} not set` };
  const without = { ...env };
  delete without[VAR];
  const cost = `\`node -e 0\` takes ${nodeStart(env).toFixed(0)} ms with it, ${nodeStart(without).toFixed(0)} ms without`;
  if (keep) return { env, note: `env:      ${VAR} kept (--keep-env): ${cost}` };
  return {
    env: without,
    note: `env:      ${VAR} removed for the timed runs (--keep-env keeps it): ${cost}`,
  };
}
