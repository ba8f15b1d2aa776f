/**
 * V8 tuning for a CLI report. It changes how V8 compiles and when it collects, never what the
 * code computes; V8 reads these flags when it uses them, so setting them at run time takes
 * effect. HVCOV_V8_DEFAULTS=1 keeps V8's defaults (to compare).
 *
 * - The inlining budget. A report runs for about a second. V8's optimising compiler works on
 *   a thread of its own, and with its default inlining budget its jobs on the engine's hot
 *   functions are large: on SQLite's single object (2 cores) the jobs add up to more than the
 *   run itself, and `attributeLines` was optimised only after 330 ms, `visitLines` near the
 *   end, so most of the run was spent in unoptimised code. A smaller cumulative inlining
 *   budget (200 bytecodes instead of 920) keeps each job small, so the hot functions are
 *   optimised early: about 15% less CPU time on SQLite and Tcl, and the same speed on a run
 *   of several seconds (bench/README.md).
 * - How far the heap grows before a full collection: by half again what the last one left
 *   (V8 lets it grow up to fourfold). A report on a large build makes garbage object by object
 *   and keeps little, so the heap's size was mostly garbage waiting for a full collection:
 *   with every output on 12 copies of Tcl, peak memory went from 243 to 194-199 MB at the
 *   same speed (bench/README.md); small builds never reach a full collection.
 * - How fast the young generation grows: eightfold instead of twofold at each step. What a
 *   report keeps (the parsed notes, the lines) lives until the object is written, so each early
 *   collection of a small young generation copies it again: on SQLite 5-6 collections
 *   instead of 10-12 and 12-23 ms instead of 23-30 ms of collecting, for 8 MB more at the peak
 *   (the young generation's size is reached sooner, not raised); the same peak on 12 copies of
 *   Tcl (bench/README.md).
 */
import { setFlagsFromString } from 'node:v8';

export function tuneV8ForReport(): void {
  if (process.env.HVCOV_V8_DEFAULTS === '1') return;
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--semi-space-growth-factor=8');
}
