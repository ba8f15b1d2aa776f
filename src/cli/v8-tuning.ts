/**
 * V8 tuning for a CLI report, a run of about a second. V8's optimising compiler works on a
 * thread of its own, and with its default inlining budget its jobs on the engine's hot
 * functions are large: on SQLite's single object (2 cores) the jobs add up to more than the
 * run itself, and `attributeLines` was optimised only after 330 ms, `visitLines` near the
 * end, so most of the run was spent in unoptimised code. A smaller cumulative inlining budget
 * (200 bytecodes instead of 920) keeps each job small, so the hot functions are optimised
 * early: about 15% less CPU time on SQLite and Tcl, and the same speed on a run of several
 * seconds (bench/README.md). It changes how V8 compiles, never what the code computes.
 * V8 reads the flag each time it compiles a function, so setting it at run time takes
 * effect. HVCOV_V8_DEFAULTS=1 keeps V8's defaults (to compare).
 */
import { setFlagsFromString } from 'node:v8';

export function tuneCompilerForShortRun(): void {
  if (process.env.HVCOV_V8_DEFAULTS === '1') return;
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
}
