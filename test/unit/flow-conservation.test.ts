/**
 * Counters that contradict the flow graph are reported, never silently: a real fixture's
 * .gcda with one arc counter raised in the file's bytes gives a per-function diagnostic
 * naming the .gcda, the function and the blocks; the unaltered files give none.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles } from '../../src/model/gcov-json';
import { raiseArcCounter } from '../helpers/gcda-edit';
import { fixturesRoot, listFixtures, walkFiles, type FixtureMeta } from '../helpers/fixtures';

const config = 'gcc12-x86_64-O0';
const dir = join(fixturesRoot(), config);
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
const gcnoBytes = new Uint8Array(readFileSync(join(dir, 'gcno', 'control.gcno')));
const gcdaBytes = new Uint8Array(readFileSync(join(dir, 'ref', meta.buildDir, 'obj', 'control.gcda')));
const gcno = readGcno(gcnoBytes, 'control.gcno');

function raiseCounter(name: string, k: number, by: bigint): Uint8Array {
  return raiseArcCounter(gcno, gcdaBytes, name, k, by);
}

const altered = raiseCounter('hypercall', 2, 1000n);

describe('flow conservation', () => {
  it('reports nothing for the unaltered objects of every committed fixture', () => {
    let objects = 0;
    for (const c of listFixtures()) {
      const m = JSON.parse(readFileSync(join(fixturesRoot(), c, 'meta.json'), 'utf8')) as FixtureMeta;
      const obj = join(fixturesRoot(), c, 'ref', m.buildDir, 'obj');
      for (const f of walkFiles(join(fixturesRoot(), c, 'gcno'))) {
        const rel = f.slice(join(fixturesRoot(), c, 'gcno').length);
        const data = join(obj, rel.replace(/\.gcno$/, '.gcda'));
        const cov = computeCoverage(
          readGcno(new Uint8Array(readFileSync(f)), f),
          readGcda(new Uint8Array(readFileSync(data)), data),
          data,
        );
        expect(cov.flow).toEqual([]);
        objects++;
      }
    }
    expect(objects).toBeGreaterThan(0);
  });

  it('names the .gcda, the function and the block when one arc counter is altered', () => {
    const cov = computeCoverage(gcno, readGcda(altered, 'control.gcda'), 'control.gcda');
    expect(cov.problems).toEqual([]);
    expect(cov.flow).toHaveLength(1);
    const e = cov.flow[0]!;
    expect(e.code).toBe('flow-conservation');
    expect(e.file).toBe('control.gcda');
    expect(e.message).toMatch(
      /^control\.gcda: function 'hypercall': arc from block \d+ to block \d+ solves to a negative count \(-\d+\)/,
    );
    // the other functions are still solved and reported
    expect(
      gcovJsonFiles(cov).some((f) =>
        f.functions.some((fn) => fn.name !== 'hypercall' && fn.execution_count > 0),
      ),
    ).toBe(true);
  });

  it('is printed by hvcov report as a warning line, with exit status 1', async () => {
    const run = async (gcda: Uint8Array) => {
      const root = mkdtempSync(join(tmpdir(), 'hvcov-flow-'));
      mkdirSync(join(root, 'obj'));
      copyFileSync(join(dir, 'gcno', 'control.gcno'), join(root, 'obj', 'control.gcno'));
      writeFileSync(join(root, 'obj', 'control.gcda'), gcda);
      const lines: string[] = [];
      const code = await main(
        [
          'report',
          '--build',
          join(root, 'obj'),
          '--gcda',
          join(root, 'obj'),
          '--gcov-json',
          join(root, 'g.jsonl'),
        ],
        (s) => lines.push(s),
      );
      expect(readdirSync(root)).toContain('g.jsonl');
      return { code, warnings: lines.filter((l) => l.startsWith('warning:')) };
    };
    const bad = await run(altered);
    expect(bad.code).toBe(1);
    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings[0]).toMatch(
      /^warning: control\.gcda: function 'hypercall': arc from block \d+ to block \d+/,
    );
    expect(await run(gcdaBytes)).toEqual({ code: 0, warnings: [] });
  });
});
