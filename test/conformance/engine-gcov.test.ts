/**
 * The coverage engine against the real gcov: for every fixture object, our JSON from the
 * .gcno and the libgcov-written .gcda must equal what that compiler's
 * `gcov --json-format --stdout --branch-probabilities` prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles, type GcovJsonFile } from '../../src/model/gcov-json';
import { fixturesRoot, listFixtures, walkFiles, type FixtureMeta } from '../helpers/fixtures';

interface Case {
  config: string;
  rel: string;
  gcno: string;
  gcda: string;
  meta: FixtureMeta;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const config of listFixtures()) {
    const dir = join(fixturesRoot(), config);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
    for (const gcno of walkFiles(join(dir, 'gcno')).filter((f) => f.endsWith('.gcno'))) {
      const rel = relative(join(dir, 'gcno'), gcno).replace(/\.gcno$/, '');
      out.push({ config, rel, gcno, gcda: join(dir, 'ref', meta.buildDir, 'obj', rel + '.gcda'), meta });
    }
  }
  return out;
}

interface GcovJson {
  format_version: string;
  files: GcovJsonFile[];
}

/** Inputs of one gcov run: the notes, the data (undefined: no .gcda) and gcov's name. */
interface Run {
  gcov: string;
  name: string;
  gcno: Uint8Array;
  gcda: Uint8Array | undefined;
}

const runOf = (c: Case): Run => ({
  gcov: c.meta.gcov,
  name: basename(c.rel),
  gcno: new Uint8Array(readFileSync(c.gcno)),
  gcda: new Uint8Array(readFileSync(c.gcda)),
});

/** gcov's JSON and what it printed on stderr (it still prints JSON after most problems). */
function realGcov(r: Run, flags: string[]): { json: GcovJson; stderr: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-engine-'));
  try {
    writeFileSync(join(tmp, r.name + '.gcno'), r.gcno);
    if (r.gcda) writeFileSync(join(tmp, r.name + '.gcda'), r.gcda);
    const p = spawnSync(
      r.gcov,
      ['--json-format', '--stdout', '--branch-probabilities', ...flags, r.name + '.gcda'],
      {
        cwd: tmp,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    if (p.error) throw p.error;
    return { json: JSON.parse(p.stdout) as GcovJson, stderr: p.stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Our JSON equals gcov's; demangled_name of C++ functions is taken from gcov's (no
 * demangler yet). Returns our problems and gcov's stderr.
 */
function expectSameAsGcov(r: Run, conditions: boolean): { problems: string[]; stderr: string } {
  const ref = realGcov(r, conditions ? ['--conditions'] : []);
  const demangled = new Map<string, string>();
  for (const f of ref.json.files)
    for (const fn of f.functions) if (fn.name.startsWith('_Z')) demangled.set(fn.name, fn.demangled_name);
  const gcno = readGcno(r.gcno, r.name + '.gcno');
  const gcda = r.gcda && readGcda(r.gcda, r.name + '.gcda');
  const cov = computeCoverage(gcno, gcda, r.name + '.gcda');
  expect(gcno.format.jsonFormat).toBe(ref.json.format_version);
  expect(gcovJsonFiles(cov, { demangle: (n) => demangled.get(n) ?? n, conditions })).toEqual(ref.json.files);
  return { problems: cov.problems.map((p) => p.message), stderr: ref.stderr };
}

/** Releases that record condition coverage also get gcov's --conditions output compared. */
const hasConditions = (c: Case): boolean =>
  readGcno(new Uint8Array(readFileSync(c.gcno)), c.gcno).format.counters.some((k) => k.name === 'conditions');

describe('coverage engine matches gcov --json-format -b', () => {
  for (const c of cases())
    it(`${c.config} ${c.rel}`, () => expect(expectSameAsGcov(runOf(c), false).stderr).toBe(''));
});

describe('coverage engine matches gcov --json-format -b --conditions', () => {
  for (const c of cases().filter(hasConditions))
    it(`${c.config} ${c.rel}`, () => expect(expectSameAsGcov(runOf(c), true).stderr).toBe(''));
});

describe('data gcov cannot use, as gcov handles it', () => {
  // one little-endian and one big-endian .gcda, several functions each
  const picked = cases().filter(
    (c) => (c.config === 'gcc12-x86_64-O0' || c.config === 'gcc12-powerpc-O2') && c.rel === 'lib',
  );
  it('has the cases', () => expect(picked.length).toBe(2));
  for (const c of picked) {
    const run = runOf(c);
    const gcda = readGcda(run.gcda!, c.gcda);
    const word = (bytes: Uint8Array, at: number, flip: number): Uint8Array => {
      const out = bytes.slice();
      const v = new DataView(out.buffer);
      v.setUint32(at, v.getUint32(at, gcda.little) ^ flip, gcda.little);
      return out;
    };
    it(`${c.config}: no .gcda: all counts 0`, () => {
      const r = expectSameAsGcov({ ...run, gcda: undefined }, false);
      expect(r.problems).toEqual([]);
      expect(r.stderr).toMatch(/cannot open data file/);
    });
    it(`${c.config}: another stamp: the .gcda is ignored`, () => {
      const r = expectSameAsGcov({ ...run, gcda: word(run.gcda!, 8, 1) }, false);
      expect(r.stderr).toMatch(/stamp mismatch/);
      expect(r.problems.join()).toMatch(/stamp mismatch/);
    });
    it(`${c.config}: a changed cfg checksum: data up to that function is used`, () => {
      // the second FUNCTION record of the .gcda: find its ident, cfg checksum follows at +8
      const second = [...gcda.functions.values()][1]!;
      const view = new DataView(run.gcda!.buffer, run.gcda!.byteOffset);
      let at = -1;
      for (let o = 12; o + 4 <= run.gcda!.length; o += 4)
        if (view.getUint32(o, gcda.little) === second.ident) {
          at = o;
          break;
        }
      expect(at).toBeGreaterThan(0);
      const r = expectSameAsGcov({ ...run, gcda: word(run.gcda!, at + 8, 1) }, false);
      expect(r.stderr).toMatch(/profile mismatch/);
      expect(r.problems.join()).toMatch(/profile mismatch/);
    });
  }
});
