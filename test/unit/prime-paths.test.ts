/**
 * Prime paths on the committed fixture (test/fixtures/paths/gcc15, made by
 * scripts/gen-paths-fixture.sh): our gcov JSON with primePaths equals the gcov-15
 * --prime-paths JSON committed with it, and the enumeration refuses past its limits.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { readGcno } from '../../src/gcov/gcno';
import { primePaths } from '../../src/gcov/prime-paths';
import { pathTotals } from '../../src/model/path-summary';
import { buildReport } from '../../src/model/report';
import { fixtureComparison, PATHS_CONFIGS } from '../helpers/paths';

const FIXTURE = join(process.cwd(), 'test/fixtures/paths/gcc15');

describe('prime paths on the committed gcc-15 fixture', () => {
  for (const config of PATHS_CONFIGS)
    it(`paths.c -${config} equals gcov-15 --prime-paths`, () => {
      const { ours, ref, problems } = fixtureComparison(FIXTURE, config);
      expect(problems).toEqual([]);
      for (const [i, f] of ref.entries())
        for (const [j, fn] of f.functions.entries()) expect(ours[i]!.functions[j]).toEqual(fn);
      expect(ours).toEqual(ref);
    });

  it("numbers the paths on gcov's graph, which can differ from the one gcc instrumented", () => {
    // gcc leaves the arcs to EXIT out of its graph, gcov keeps them: for merge_lists gcov-15
    // lists a path more than the .gcno's count (both numbers from the tools)
    for (const config of PATHS_CONFIGS) {
      const { ref } = fixtureComparison(FIXTURE, config);
      const gcno = readGcno(new Uint8Array(readFileSync(join(FIXTURE, config, 'paths.gcno'))), 'paths.gcno');
      const fn = ref.flatMap((f) => f.functions).find((f) => f.name === 'merge_lists')!;
      expect(fn.total_prime_paths).toBeGreaterThan(
        gcno.functions.find((f) => f.name === 'merge_lists')!.paths,
      );
    }
  });

  it('gives up with a limit problem, not a hang, past its limits', () => {
    const gcno = readGcno(new Uint8Array(readFileSync(join(FIXTURE, 'O0/paths.gcno'))), 'paths.gcno');
    const many = gcno.functions.find((f) => f.name === 'many')!;
    const graph = { blockCount: many.blockCount, arcs: many.arcs, entry: 0, exit: 1 };
    const all = primePaths(graph, 'paths.gcno', 'many');
    expect(Array.isArray(all)).toBe(true);
    const n = (all as Uint32Array[]).length;
    // gcc instrumented exactly as many paths as we find
    expect(n).toBe(many.paths);
    const tooFew = primePaths(graph, 'paths.gcno', 'many', { maxPaths: n - 1, maxSteps: 1e9 });
    expect(tooFew).toMatchObject({ code: 'limit', file: 'paths.gcno' });
    const tooShort = primePaths(graph, 'paths.gcno', 'many', { maxPaths: 1e9, maxSteps: 100 });
    expect(tooShort).toMatchObject({ code: 'limit' });
    // a report's functions share one pool of steps: each takes what it used
    const pool = { steps: 1e9 };
    expect(primePaths(graph, 'paths.gcno', 'many', undefined, pool)).toHaveLength(n);
    const used = 1e9 - pool.steps;
    expect(used).toBeGreaterThan(0);
    pool.steps = used - 1;
    expect(primePaths(graph, 'paths.gcno', 'many', undefined, pool)).toMatchObject({ code: 'limit' });
    expect(pool.steps).toBe(0);
    expect(primePaths(graph, 'paths.gcno', 'many', undefined, pool)).toMatchObject({
      code: 'limit',
      reason: expect.stringContaining('budget is spent'),
    });
  });
});

describe('hvcov report --prime-paths', () => {
  const gcov = (config: string): unknown =>
    (
      JSON.parse(gunzipSync(readFileSync(join(FIXTURE, config, 'paths.gcov.json.gz'))).toString('utf8')) as {
        files: unknown;
      }
    ).files;
  // --gcov-json alone is streamed object by object; with another output it comes from the model
  for (const other of [[], ['--lcov']])
    it(`${['--gcov-json', ...other].join(' ')} equals gcov-15 --prime-paths`, async () => {
      for (const config of PATHS_CONFIGS) {
        const out = mkdtempSync(join(tmpdir(), 'hvcov-paths-'));
        const dir = join(FIXTURE, config);
        const args = ['report', '--build', dir, '--gcda', dir, '--gcov-json', join(out, 'gcov.json')];
        if (other.length > 0) args.push(other[0]!, join(out, 'lcov.info'));
        const lines: string[] = [];
        expect(await main([...args, '--prime-paths'], (s) => lines.push(s))).toBe(0);
        const doc = JSON.parse(readFileSync(join(out, 'gcov.json'), 'utf8')) as { files: unknown };
        expect(doc.files).toEqual(gcov(config));
        // without the flag: gcov's output without --prime-paths (no totals, no paths)
        expect(await main(args, () => {})).toBe(0);
        const plain = JSON.parse(readFileSync(join(out, 'gcov.json'), 'utf8')) as {
          files: { functions: { total_prime_paths: number; prime_path_coverage: unknown[] }[] }[];
        };
        for (const fn of plain.files.flatMap((f) => f.functions)) {
          expect(fn.total_prime_paths).toBe(0);
          expect(fn.prime_path_coverage).toEqual([]);
        }
      }
    });
});

describe('prime path totals per file and directory', () => {
  for (const config of PATHS_CONFIGS)
    it(`sum gcov-15's function totals (${config}), and --summary shows them`, async () => {
      const dir = join(FIXTURE, config);
      const bytes = (n: string) => new Uint8Array(readFileSync(join(dir, n)));
      const report = buildReport(
        [{ name: 'paths.gcno', bytes: bytes('paths.gcno') }],
        [{ name: 'paths.gcda', bytes: bytes('paths.gcda') }],
        { primePaths: true },
      );
      const fns = fixtureComparison(FIXTURE, config).ref.flatMap((f) => f.functions);
      const found = fns.reduce((n, f) => n + (f.total_prime_paths ?? 0), 0);
      const hit = fns.reduce((n, f) => n + (f.covered_prime_paths ?? 0), 0);
      const totals = pathTotals(report);
      expect(totals.total).toEqual({ found, hit });
      expect([...totals.files.values()]).toEqual([{ found, hit }]);
      expect(totals.directories.map((d) => d.totals)).toEqual([{ found, hit }]);

      const lines: string[] = [];
      const args = ['report', '--build', dir, '--gcda', dir, '--summary', '--no-markers'];
      expect(await main([...args, '--prime-paths'], (s) => lines.push(s))).toBe(0);
      expect(lines.join('\n')).toMatch(new RegExp(`Total +${hit}/${found} `));
      const plain: string[] = [];
      expect(await main(args, (s) => plain.push(s))).toBe(0);
      expect(plain.join('\n')).not.toContain('Prime paths');
    });
});
