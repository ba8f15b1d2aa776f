/**
 * The file view's condition words against gcov --conditions' own text: for every object of
 * every condition-coverage fixture, the lines printed under each source line of its own
 * source (`condition outcomes covered 2/4`, `condition 0 not covered (true)`) equal what the
 * page shows for that line, spaces aside.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/model/report';
import { conditionText, lineConditions, packFile } from '../../src/ui/report-view';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const configs = listFixtures().filter((c) => loadFixture(c).meta.cflags.includes('-fcondition-coverage'));

/** gcov's condition lines per source line of `<name>.c.gcov`. */
function gcovConditionText(
  gcov: string,
  dir: string,
  rel: string,
  gcno: string,
  gcda: Uint8Array,
): Map<number, string[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-cond-'));
  try {
    cpSync(join(dir, 'src'), tmp, { recursive: true });
    writeFileSync(join(tmp, 'obj.gcno'), readFileSync(gcno));
    writeFileSync(join(tmp, 'obj.gcda'), gcda);
    const p = spawnSync(gcov, ['--conditions', 'obj.gcda'], { cwd: tmp, encoding: 'utf8' });
    if (p.error) throw p.error;
    const out = new Map<number, string[]>();
    let line = 0;
    for (const l of readFileSync(join(tmp, `${basename(rel)}.c.gcov`), 'utf8').split('\n')) {
      const m = /^\s*[^:]+:\s*(\d+):/.exec(l);
      if (m) line = Number(m[1]);
      else if (l.startsWith('condition')) {
        const list = out.get(line) ?? [];
        list.push(l.replace(/\s+/g, ' '));
        out.set(line, list);
      }
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('condition words equal gcov --conditions', () => {
  it('there is a condition-coverage fixture', () => {
    expect(configs.length).toBeGreaterThan(0);
  });
  for (const config of configs) {
    const fx = loadFixture(config);
    const gcnoDir = join(fx.dir, 'gcno');
    const gcnos = walkFiles(gcnoDir);
    const report = buildReport(
      gcnos.map((f) => ({ name: `gcno/${relative(gcnoDir, f)}`, bytes: new Uint8Array(readFileSync(f)) })),
      [...fx.ref].map(([name, bytes]) => ({ name, bytes })),
    );
    for (const gcno of gcnos) {
      const rel = relative(gcnoDir, gcno).replace(/\.gcno$/, '');
      it(`${config} ${rel}.c`, () => {
        const gcda = fx.ref.get(join(fx.meta.buildDir, 'obj', `${rel}.gcda`))!;
        const want = gcovConditionText(fx.meta.gcov, fx.dir, rel, gcno, gcda);
        expect(want.size).toBeGreaterThan(0);
        const f = report.files.find((x) => x.path.endsWith(`/${rel}.c`))!;
        const d = packFile(f);
        const got = new Map<number, string[]>();
        f.lines.forEach((l, i) => {
          const text = lineConditions(d, i).flatMap(conditionText);
          if (text.length) got.set(l.lineNumber, text);
        });
        expect(got).toEqual(want);
      });
    }
  }
});
