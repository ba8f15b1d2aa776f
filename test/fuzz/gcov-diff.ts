/**
 * Differential check of hvcov against the real gcov on the fuzzer's (.gcno, .gcda) pairs
 * (engine target inputs): for each pair whose .gcno is of a release with a gcov in the
 * fixtures, hvcov's report model (buildReport, as `hvcov report` computes each object)
 * against `gcov --json-format --stdout --branch-probabilities` (and `--conditions` where the
 * release records conditions). Prints a tally, and with --show the first difference.
 *   node_modules/.bin/esbuild test/fuzz/gcov-diff.ts --bundle --platform=node --format=esm \
 *     --outfile=build/fuzz/gcov-diff.mjs && node build/fuzz/gcov-diff.mjs build/fuzz/corpus/engine [--show]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGcno, type Gcno } from '../../src/gcov/gcno';
import { canon, demangledNames, gcovOfRelease, runGcov, runOurs, splitPair } from './damaged-select';

const gcovs = gcovOfRelease();
const dir = process.argv[2] ?? 'build/fuzz/corpus/engine';
const show = process.argv.includes('--show');
// --list: one line per pair (file, outcome, hvcov's problem codes, gcov's messages)
const list = process.argv.includes('--list');
const tally = new Map<string, number>();
let current = '';
let detail = '';
const count = (k: string): void => {
  tally.set(k, (tally.get(k) ?? 0) + 1);
  if (list) console.log(`${current}\t${k}\t${detail}`);
};
for (const f of readdirSync(dir).sort()) {
  const input = new Uint8Array(readFileSync(join(dir, f)));
  if (input.length < 4) continue;
  const { notes, data } = splitPair(input);
  current = f;
  detail = '';
  let gcno: Gcno;
  try {
    gcno = readGcno(notes, 'x.gcno');
  } catch {
    count('notes refused (gcov not run)');
    continue;
  }
  const gcov = gcovs.get(gcno.version.major);
  if (!gcov) {
    count('no gcov for the release');
    continue;
  }
  const ref = runGcov(
    gcov,
    notes,
    data,
    gcno.format.counters.some((k) => k.name === 'conditions'),
  );
  const ours = runOurs(notes, data, demangledNames(ref.files));
  detail = `GCC ${gcno.version.major}\t${[...new Set(ours.problems.map((p) => `${p.file}:${p.code}`))].join(',')}\t${ref.stderr
    .split('\n')
    .filter((l) => l && !/version '/.test(l))
    .map((l) => l.replace(/'[^']*'/g, "'…'"))
    .join('; ')}`;
  if (!ref.files) {
    count(`gcov failed (${ref.status}); we ${ours.files ? 'report' : 'refuse'}`);
    continue;
  }
  if (!ours.files) {
    count(`we refuse (${ours.problems.at(-1)!.code}), gcov reports`);
    continue;
  }
  const a = canon(ours.files);
  const b = canon(ref.files);
  if (a === b) count('same');
  else {
    count('different');
    if (show) {
      let i = 0;
      while (a[i] === b[i]) i++;
      console.log(`${f} (GCC ${gcno.version.major})\n ours: ${a.slice(Math.max(0, i - 100), i + 100)}`);
      console.log(` gcov: ${b.slice(Math.max(0, i - 100), i + 100)}\n ${ref.stderr.slice(0, 200)}`);
    }
  }
}
console.log(
  [...tally]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${String(n).padStart(4)}  ${k}`)
    .join('\n'),
);
