/** The real gcov's JSON for one object, and what of it hvcov's must equal. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { expect } from 'vitest';
import { readGcno } from '../../src/gcov/gcno';
import { walkFiles } from './fixtures';
import { fixtureMeta } from './lcov';

export type Doc = Record<string, unknown>;

/** gcov --json-format --stdout -b (and --conditions where the release has them) on one object. */
export function gcovJson(gcov: string, gcno: string, gcda: string, conditions: boolean): Doc {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-report-'));
  try {
    const name = basename(gcno, '.gcno');
    writeFileSync(join(tmp, name + '.gcno'), readFileSync(gcno));
    writeFileSync(join(tmp, name + '.gcda'), readFileSync(gcda));
    const flags = [
      '--json-format',
      '--stdout',
      '--branch-probabilities',
      ...(conditions ? ['--conditions'] : []),
    ];
    const p = spawnSync(gcov, [...flags, name + '.gcda'], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (p.error) throw p.error;
    expect(p.stderr).toBe('');
    return JSON.parse(p.stdout) as Doc;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * data_file is the name the .gcda was opened under: for gcov a copy in a temporary
 * folder, for hvcov the build path recorded in the image. gcc_version is the gcov
 * binary's own version string (Debian's gcc-10 is the snapshot "10.2.1 20210110") while
 * the .gcno records only major.minor: compared on major.minor. Everything else is compared.
 */
export const comparable = ({ data_file: _d, gcc_version: v, ...rest }: Doc): Doc => ({
  ...rest,
  gcc_version: String(v).split('.').slice(0, 2).join('.'),
});

/**
 * Each line of hvcov's --gcov-json output for a fixture (data named by the build paths in
 * its image) equals gcov's JSON on that object's .gcno and libgcov's .gcda.
 */
export function expectGcovDocs(dir: string, jsonl: string): void {
  const meta = fixtureMeta(dir);
  const docs = jsonl
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Doc);
  const gcnos = walkFiles(join(dir, 'gcno'));
  expect(docs.length).toBe(gcnos.length);
  const objDir = join(meta.buildDir, 'obj');
  for (const doc of docs) {
    const rel = relative(objDir, doc.data_file as string).replace(/\.gcda$/, '');
    const gcno = join(dir, 'gcno', rel + '.gcno');
    const conditions = readGcno(new Uint8Array(readFileSync(gcno)), gcno).format.counters.some(
      (k) => k.name === 'conditions',
    );
    const want = gcovJson(meta.gcov, gcno, join(dir, 'ref', objDir, rel + '.gcda'), conditions);
    expect(comparable(doc), rel).toEqual(comparable(want));
  }
}
