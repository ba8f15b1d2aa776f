/**
 * Source names with `..` (test/helpers/source-names-build.ts): for each GCC, the program
 * built and run, gcov run in each object's compile directory, and `hvcov report` (both the
 * streamed --gcov-json path and the model's) must print gcov's JSON document for every
 * object, `file` names included; its --lcov file must equal lcov 1.16's on the same build.
 * Without a file system (the app), the model must print what gcov prints once the build
 * tree is gone. gcovr 5.2 is not compared: it runs gcov from directories of its own
 * choosing, where these names do not resolve, and leaves out the files of object x.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { readGcno } from '../../src/gcov/gcno';
import { buildReport } from '../../src/model/report';
import { lcovRecords } from '../helpers/lcov';
import { gccTool } from '../helpers/gcc-tools';
import { buildSourceNames, run } from '../helpers/source-names-build';

type Doc = Record<string, unknown> & { files: { file: string }[] };

async function hvcov(args: string[]): Promise<void> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  expect(lines.join('\n')).not.toMatch(/problem|skipped|warning/);
  expect(code).toBe(0);
}

const docsOf = (path: string): Map<string, Doc> =>
  new Map(
    readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Doc)
      .map((d) => [basename(d.data_file as string), d]),
  );

/** data_file is the name each tool opened; gcc_version compared on major.minor (see report-cli). */
const comparable = ({ data_file: _d, gcc_version: v, ...rest }: Doc) => ({
  ...rest,
  gcc_version: String(v).split('.').slice(0, 2).join('.'),
});

/** FN and FNDA lines are in Perl hash order in lcov's file. */
const norm = (t: string) =>
  lcovRecords(t).map((rec) => [
    ...rec.filter((l) => !l.startsWith('FN')),
    ...rec.filter((l) => l.startsWith('FN')).sort(),
  ]);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('source names with .. equal gcov and lcov', () => {
  for (const major of [9, 12, 14, 15]) {
    it(`gcc-${major}`, async () => {
      // conditions from GCC 14 and prime paths from 15 carry source names too
      const paths = major >= 15 ? ['--prime-paths'] : [];
      const build = buildSourceNames(major, [
        ...(major >= 14 ? ['-fcondition-coverage'] : []),
        ...(major >= 15 ? ['-fpath-coverage'] : []),
      ]);
      const out = mkdtempSync(join(tmpdir(), 'hvcov-dotdot-out-'));
      dirs.push(build.dir, out);
      const gcov = gccTool(major, 'gcov');
      const obj = join(build.dir, 'obj');
      const conditions = readGcno(
        new Uint8Array(readFileSync(join(obj, 'x.gcno'))),
        'x.gcno',
      ).format.counters.some((k) => k.name === 'conditions');
      const want = new Map<string, Doc>();
      for (const o of build.objects) {
        const gcda = join(build.dir, o.gcda);
        const flags = [
          '--json-format',
          '--stdout',
          '--branch-probabilities',
          ...(conditions ? ['--conditions'] : []),
          ...paths,
        ];
        want.set(basename(gcda), JSON.parse(run(gcov, [...flags, gcda], o.cwd).stdout) as Doc);
      }

      // the layout gives gcov names where `..` went and names where it stayed
      const raw = build.objects.flatMap((o) => {
        const g = readGcno(
          new Uint8Array(readFileSync(join(build.dir, o.gcda.replace(/da$/, 'no')))),
          o.gcda,
        );
        return g.functions.flatMap((f) => [f.source, ...f.lineFiles]);
      });
      const names = [...want.values()].flatMap((d) => d.files.map((f) => f.file));
      expect(raw.filter((n) => n.includes('/../')).length).toBeGreaterThan(0);
      expect(names.filter((n) => n.includes('/../')).length).toBeGreaterThan(0);
      expect(raw.filter((n) => !names.includes(n)).length).toBeGreaterThan(0);

      const streamed = join(out, 'streamed.jsonl');
      await hvcov(['report', '--build', obj, '--gcda', obj, '--gcov-json', streamed, ...paths]);
      const modelled = join(out, 'model.jsonl');
      const info = join(out, 'hv.info');
      await hvcov([
        'report',
        '--build',
        obj,
        '--gcda',
        obj,
        '--gcov-json',
        modelled,
        '--lcov',
        info,
        ...paths,
      ]);
      for (const docs of [docsOf(streamed), docsOf(modelled)]) {
        expect([...docs.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [name, doc] of docs) expect(comparable(doc), name).toEqual(comparable(want.get(name)!));
      }

      const rc = ['--rc', 'lcov_branch_coverage=1'];
      const ref = join(out, 'ref.info');
      const merged = join(out, 'merged.info');
      run('lcov', ['--capture', ...rc, '--gcov-tool', gcov, '-d', obj, '-o', ref, '-q'], build.dir);
      run('lcov', [...rc, '-a', ref, '-o', merged, '-q'], build.dir);
      expect(norm(readFileSync(info, 'utf8'))).toEqual(norm(readFileSync(merged, 'utf8')));

      // The app (no file system) equals gcov run on another machine, where the build tree
      // is not: the objects copied out, the tree removed. Not z: its `/tmp/..` exists anywhere.
      const away = join(out, 'away');
      mkdirSync(away);
      const kept = build.objects.map((o) => basename(o.gcda, '.gcda')).filter((n) => n !== 'z');
      for (const n of kept)
        for (const ext of ['.gcno', '.gcda']) copyFileSync(join(obj, n + ext), join(away, n + ext));
      rmSync(build.dir, { recursive: true, force: true });
      const bytes = (n: string) => new Uint8Array(readFileSync(join(away, n)));
      const app = buildReport(
        kept.map((n) => ({ name: n + '.gcno', bytes: bytes(n + '.gcno') })),
        kept.map((n) => ({ name: n + '.gcda', bytes: bytes(n + '.gcda') })),
        { primePaths: paths.length > 0 },
      );
      expect(app.problems).toEqual([]);
      for (const o of app.objects) {
        const flags = [
          '--json-format',
          '--stdout',
          '--branch-probabilities',
          ...(conditions ? ['--conditions'] : []),
        ];
        const ref = JSON.parse(run(gcov, [...flags, ...paths, o.data!], away).stdout) as Doc;
        expect(comparable(o.json as unknown as Doc), o.data).toEqual(comparable(ref));
      }
    });
  }
});
