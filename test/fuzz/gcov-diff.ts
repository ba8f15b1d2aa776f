/**
 * Differential check of the engine against the real gcov on the fuzzer's (.gcno, .gcda) pairs
 * (engine target inputs): for each pair whose .gcno is of a release with a gcov in the fixtures,
 * our gcov JSON against `gcov --json-format --stdout --branch-probabilities`. Exploratory (gcov
 * itself crashes on some damaged inputs): prints a tally, and with --show the first difference.
 *   node_modules/.bin/esbuild test/fuzz/gcov-diff.ts --bundle --platform=node --format=esm \
 *     --outfile=build/fuzz/gcov-diff.mjs && node build/fuzz/gcov-diff.mjs build/fuzz/corpus/engine [--show]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno, type Gcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles } from '../../src/model/gcov-json';

const gcovs = new Map<number, string>();
for (const c of readdirSync('fixtures/gen')) {
  const m = JSON.parse(readFileSync(`fixtures/gen/${c}/meta.json`, 'utf8')) as {
    gccMajor: number;
    gcov: string;
  };
  gcovs.set(m.gccMajor, m.gcov);
}

/** JSON with object keys sorted: gcov's key order is not ours. */
const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1)))
      : x,
  );

const dir = process.argv[2] ?? 'build/fuzz/corpus/engine';
const show = process.argv.includes('--show');
const tally = new Map<string, number>();
const count = (k: string): void => void tally.set(k, (tally.get(k) ?? 0) + 1);
for (const f of readdirSync(dir).sort()) {
  const input = new Uint8Array(readFileSync(join(dir, f)));
  if (input.length < 4) continue;
  const len = Math.min(new DataView(input.buffer, input.byteOffset, 4).getUint32(0, true), input.length - 4);
  const notes = input.subarray(4, 4 + len);
  const data = input.subarray(4 + len);
  let gcno: Gcno;
  try {
    gcno = readGcno(notes, 'x.gcno');
  } catch {
    count('notes refused');
    continue;
  }
  const gcov = gcovs.get(gcno.version.major);
  if (!gcov) {
    count('no gcov for the release');
    continue;
  }
  let ours: unknown;
  try {
    let gcda;
    try {
      gcda = readGcda(data, 'x.gcda');
    } catch {
      gcda = undefined;
    }
    ours = gcovJsonFiles(computeCoverage(gcno, gcda), { demangle: (s) => s });
  } catch (e) {
    ours = `refused: ${(e as Error).message}`;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-diff-'));
  writeFileSync(join(tmp, 'x.gcno'), notes);
  writeFileSync(join(tmp, 'x.gcda'), data);
  const p = spawnSync(gcov, ['--json-format', '--stdout', '--branch-probabilities', 'x.gcda'], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 10_000,
    maxBuffer: 1 << 26,
  });
  rmSync(tmp, { recursive: true, force: true });
  let ref: unknown;
  try {
    const files = (
      JSON.parse(p.stdout) as { files: { functions: { name: string; demangled_name: string }[] }[] }
    ).files;
    for (const fl of files) for (const fn of fl.functions) fn.demangled_name = fn.name;
    ref = files;
  } catch {
    count(`gcov failed (${p.signal ?? p.status})`);
    continue;
  }
  const a = canon(ours);
  const b = canon(ref);
  if (a === b) count('same');
  else {
    count(typeof ours === 'string' ? 'we refuse, gcov reports' : 'different');
    if (show) {
      let i = 0;
      while (a[i] === b[i]) i++;
      console.log(`${f} (GCC ${gcno.version.major})\n ours: ${a.slice(Math.max(0, i - 100), i + 100)}`);
      console.log(` gcov: ${b.slice(Math.max(0, i - 100), i + 100)}\n ${p.stderr.slice(0, 200)}`);
    }
  }
}
console.log([...tally].map(([k, n]) => `${k}: ${n}`).join('\n'));
