/**
 * On fixtures freshly built by the real toolchains: our .gcda equal libgcov's byte for
 * byte, and the gcov of the same compiler reads ours without a word on stderr and reports
 * exactly what it reports for libgcov's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractImage } from '../../src/gcov/extract';
import { expectSameGcda } from '../helpers/compare';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const configs = listFixtures();

it('covers the whole compiler x target matrix', () => {
  const want = [
    'gcc9-x86_64',
    'gcc10-x86_64',
    'gcc11-x86_64',
    'gcc12-x86_64',
    'gcc13-x86_64',
    'gcc14-x86_64',
    'gcc15-x86_64',
    'gcc12-aarch64',
    'gcc12-armhf',
    'gcc12-powerpc',
    'gcc12-s390x',
  ];
  for (const w of want)
    expect(
      configs.some((c) => c.startsWith(w + '-')),
      w,
    ).toBe(true);
  expect(configs.some((c) => c.includes('-O0'))).toBe(true);
  expect(configs.some((c) => c.includes('-O2'))).toBe(true);
});

describe.each(configs)('%s', (config) => {
  const fx = loadFixture(config);

  it('writes every .gcda byte-identical to libgcov', () => {
    const r = extractImage(fx.image, 'image.bin');
    expect(r.problems.map((p) => p.message)).toEqual([]);
    expectSameGcda(r.files, fx.ref);
  });

  it(`is read by ${fx.meta.gcov.split('/').pop()} without a warning, with libgcov's results`, () => {
    const r = extractImage(fx.image, 'image.bin');
    const objRoot = join(fx.meta.buildDir, 'obj');
    const gcnoDir = join(fx.dir, 'gcno');
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-gcov-'));
    for (const g of walkFiles(gcnoDir)) {
      const dest = join(dir, relative(gcnoDir, g));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(g, dest);
    }
    const gcov = (gcda: string) =>
      spawnSync(fx.meta.gcov, ['--json-format', '--stdout', '--branch-probabilities', gcda], {
        cwd: dir,
        encoding: 'utf8',
      });
    for (const f of r.files) {
      const rel = relative(objRoot, f.path);
      const dest = join(dir, rel);
      writeFileSync(dest, f.bytes);
      const ours = gcov(dest);
      expect(ours.stderr, `${fx.meta.gcov} on ${rel}`).toBe('');
      expect(ours.status, `${fx.meta.gcov} on ${rel}`).toBe(0);
      writeFileSync(dest, fx.ref.get(f.path)!);
      const theirs = gcov(dest);
      expect(theirs.status).toBe(0);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(JSON.parse(ours.stdout).files.length).toBeGreaterThan(0);
    }
  });

  it(`is read by ${fx.meta.gcovDump.split('/').pop()}`, () => {
    const r = extractImage(fx.image, 'image.bin');
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-dump-'));
    for (const f of r.files) {
      const dest = join(dir, 'x.gcda');
      writeFileSync(dest, f.bytes);
      const out = execFileSync(fx.meta.gcovDump, [dest], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toMatch(/data:magic `(gcda|adcg)'/);
    }
  });
});
