/**
 * The Cobertura writer against Debian's gcovr 5.2: for every fixture config, gcovr
 * (running that compiler's gcov) on a build tree holding the fixture's .gcno, libgcov's
 * .gcda and the sources, compared with our XML made from the same .gcno and .gcda: the
 * whole document line by line, so every count, rate, percentage, name and the order.
 *
 * gcovr 5.2 predates gcov 13, whose text output writes `branch N never executed
 * (fallthrough)` / `(throw)`, a line gcovr 5.2 rejects as a parse error. So the test runs
 * gcov itself with the options gcovr 5.2 passes (`--branch-counts --branch-probabilities
 * --demangled-names --hash-filenames`, in the build directory, per .gcda), removes only that annotation from
 * "never executed" branch lines (count 0 either way; the fallthrough/throw flag does not
 * enter Cobertura), and lets gcovr read the .gcov files (`-g -k`). For gcov 9–12 the
 * rewrite changes nothing. Every other rule is gcovr's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coberturaXml } from '../../src/model/cobertura';
import { buildReport, type DataInput, type NotesInput } from '../../src/model/report';
import { fixturesRoot, listFixtures, walkFiles } from '../helpers/fixtures';
import { runLcov } from '../helpers/lcov';

function reportFor(fixtureDir: string, buildDir: string, sourceRoot: string) {
  const notes: NotesInput[] = [];
  const data: DataInput[] = [];
  for (const f of walkFiles(join(fixtureDir, 'gcno'))) {
    notes.push({
      name: 'obj/' + relative(join(fixtureDir, 'gcno'), f),
      bytes: new Uint8Array(readFileSync(f)),
    });
  }
  const refDir = join(fixtureDir, 'ref');
  for (const f of walkFiles(join(refDir, buildDir)))
    data.push({ name: '/' + relative(refDir, f), bytes: new Uint8Array(readFileSync(f)) });
  return buildReport(notes, data, { sourceRoot });
}

/**
 * The three values that cannot be equal: `timestamp` is the time of the run, `version`
 * names the writing tool ("gcovr 5.2" there), and <source> is the root as each tool was
 * given it (gcovr: "." for -r .; ours: the absolute temporary directory).
 */
function normalise(xml: string): string[] {
  return xml
    .replace(/ timestamp="\d+"/, ' timestamp=""')
    .replace(/ version="[^"]*"/, ' version=""')
    .replace(/<source>[^<]*<\/source>/, '<source></source>')
    .split('\n');
}

describe('Cobertura XML equals gcovr 5.2', () => {
  for (const config of listFixtures()) {
    const fixtureDir = join(fixturesRoot(), config);
    it(`${config}`, () => {
      // the build tree lcov is run on (fixture .gcno and libgcov .gcda under obj/, sources)
      const tree = runLcov(fixtureDir);
      const out = join(tree.dir, '..', 'gcovr.xml');
      // one gcov run per .gcda, its .gcov files moved aside before the next (a header's
      // .gcov has the same name for every object), as gcovr reads them after each run
      const gcdas = walkFiles(join(tree.dir, 'obj')).filter((f) => f.endsWith('.gcda'));
      gcdas.forEach((gcda, i) => {
        const rel = relative(tree.dir, gcda);
        const g = spawnSync(
          tree.meta.gcov,
          [
            '--branch-counts',
            '--branch-probabilities',
            '--demangled-names',
            '--hash-filenames',
            '--object-directory',
            dirname(rel),
            rel,
          ],
          { cwd: tree.dir, encoding: 'utf8' },
        );
        expect(g.status, g.stderr).toBe(0);
        const dest = join(tree.dir, 'gcov', String(i));
        mkdirSync(dest, { recursive: true });
        for (const name of readdirSync(tree.dir).filter((n) => n.endsWith('.gcov'))) {
          const text = readFileSync(join(tree.dir, name), 'utf8');
          writeFileSync(
            join(dest, name),
            text.replace(/^(branch +\d+ never executed) \((?:fallthrough|throw)\)$/gm, '$1'),
          );
          rmSync(join(tree.dir, name));
        }
      });
      const p = spawnSync('gcovr', ['-g', '-k', '-r', '.', '--xml-pretty', '-o', out, 'gcov'], {
        cwd: tree.dir,
        encoding: 'utf8',
      });
      expect(p.status, p.stderr).toBe(0);
      const gcovr = readFileSync(out, 'utf8');

      const report = reportFor(fixtureDir, tree.meta.buildDir, tree.dir);
      expect(report.problems.map((x) => x.message)).toEqual([]);
      const ours = coberturaXml(report, {
        root: tree.dir,
        source: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
      });
      expect(gcovr.split('\n').filter((l) => l.includes('<line ')).length).toBeGreaterThan(100);
      expect(normalise(ours)).toEqual(normalise(gcovr));
    });
  }
});
