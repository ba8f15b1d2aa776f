/**
 * A .gcda that readGcda refuses (cut short, a record past its end, a wrong magic), or that
 * matchData leaves out (another stamp or object checksum than the notes'), is still gcov's
 * data file for the notes of the same name: gcov reads what it can of it and prints those
 * counts (see readArcCountersAsGcov; gcov does not check the checksum word, and with
 * another stamp it prints zeros but leaves out the functions without counters). Reporting
 * such notes as never executed would print numbers gcov does not, so they are paired here
 * by name alone, as gcov pairs x.gcda with x.gcno; the problem is still reported.
 */
import { commonSuffix, type DataInput, type PairingNotes, type ReadData } from './report';

/** The data files refused or not paired by matchData. */
export function unpairedData(
  read: readonly ReadData[],
  pairs: { values(): Iterable<ReadData> },
  refused: readonly DataInput[],
): DataInput[] {
  const paired = new Set<ReadData>(pairs.values());
  return [...refused, ...read.filter((d) => !paired.has(d)).map((d) => d.input)];
}

/**
 * For each refused data file, the notes not yet paired whose path shares the longest
 * suffix with it, when exactly one does (several: none, the file stays a problem only).
 */
export function pairRefusedData<N extends PairingNotes>(
  notes: readonly N[],
  paired: { has(n: N): boolean },
  refused: readonly DataInput[],
): Map<N, DataInput> {
  const pairs = new Map<N, DataInput>();
  for (const d of refused) {
    let best = 0;
    let top: N[] = [];
    for (const n of notes) {
      if (paired.has(n) || pairs.has(n)) continue;
      const s = commonSuffix(n.input.name, d.name);
      if (s > best) [best, top] = [s, [n]];
      else if (s === best && s > 0) top.push(n);
    }
    if (top.length === 1) pairs.set(top[0]!, d);
  }
  return pairs;
}
