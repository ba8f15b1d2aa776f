/** Whether a second thread pays: only when a core is idle now. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/**
 * A second thread only pays when a core is idle: on a busy machine it just adds its start-up
 * and hand-over costs. The environment variable `forcedBy` (1 or 2 threads) decides instead.
 * What runs now counts, not the one-minute load average (it lags: a build that just finished
 * still weighs on it).
 */
export function coreIsFree(forcedBy: string): boolean {
  const forced = process.env[forcedBy];
  if (forced === '1' || forced === '2') return forced === '2';
  const cores = availableParallelism();
  if (cores < 2) return false;
  const running = runnableNow();
  // this thread is one of the runnable ones
  return running !== undefined ? running - 1 <= cores - 2 : loadavg()[0]! <= cores - 1;
}

/** Threads runnable at this moment, from /proc/loadavg ("0.52 0.58 0.59 2/345 678"); Linux only. */
function runnableNow(): number | undefined {
  try {
    const m = /^\S+ \S+ \S+ (\d+)\//.exec(readFileSync('/proc/loadavg', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
