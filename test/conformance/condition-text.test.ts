/**
 * The file view's condition words against gcov --conditions' own text: for every object of
 * every condition-coverage fixture, the lines printed under each source line of its own
 * source, C or C++ (`condition outcomes covered 2/4`, `condition 0 not covered (true)`),
 * equal what the page shows for that line, spaces aside. (A header's inline code in several
 * objects gcov prints per object in sections of their own; the page shows the line once.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/model/report';
import { conditionText, lineConditions, packFile } from '../../src/ui/report-view';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const configs = listFixtures().filter((c) => loadFixture(c).meta.cflags.includes('-fcondition-coverage'));

/** gcov's condition lines per source line of `<source>.gcov` (the object's own source, C or C++). */
function gcovConditionText(
  gcov: string,
  dir: string,
  source: string,
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
    for (const l of readFileSync(join(tmp, `${basename(source)}.gcov`), 'utf8').split('\n')) {
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
    // conditions gcov printed per object; the C sources have some, the C++ pair's own none
    const printed = new Map<string, number>();
    afterAll(() => {
      expect([...printed.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    });
    for (const gcno of gcnos) {
      const rel = relative(gcnoDir, gcno).replace(/\.gcno$/, '');
      const source = existsSync(join(fx.dir, 'src', `${rel}.cpp`)) ? `${rel}.cpp` : `${rel}.c`;
      it(`${config} ${source}`, () => {
        const gcda = fx.ref.get(join(fx.meta.buildDir, 'obj', `${rel}.gcda`))!;
        const want = gcovConditionText(fx.meta.gcov, fx.dir, source, gcno, gcda);
        printed.set(source, want.size);
        if (source.endsWith('.c')) expect(want.size).toBeGreaterThan(0);
        const f = report.files.find((x) => x.path.endsWith(`/${source}`))!;
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
