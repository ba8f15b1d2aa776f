/**
 * `hvcov report --gcov-json` from two threads (src/cli/gcov-json-threads.ts), run as users
 * run it: the bundled CLI, with HVCOV_REPORT_THREADS=2 so that the worker takes part
 * however small the build. Its JSON equals the real gcov's on every fixture object, and on
 * damaged pairs (test/fuzz/damaged, each checked against gcov by damaged-pairs.test.ts) its
 * output and its problems, in their order, are those of the one-thread path.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitPair } from '../fuzz/damaged-select';
import { fixturesRoot, listFixtures } from '../helpers/fixtures';
import { expectGcovDocs } from '../helpers/gcov-json';

const tmp = mkdtempSync(join(tmpdir(), 'hvcov-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The bundled CLI (bin/hvcov.mjs), with `threads` forced; its JSON, stderr and status. */
function report(args: string[], threads: '1' | '2', json: string) {
  const p = spawnSync(
    'node',
    [join(process.cwd(), 'bin/hvcov.mjs'), 'report', ...args, '--gcov-json', json],
    {
      encoding: 'utf8',
      env: { ...process.env, HVCOV_REPORT_THREADS: threads, HVCOV_DEBUG_THREADS: '1' },
    },
  );
  if (p.error) throw p.error;
  return { status: p.status, out: p.stdout, err: p.stderr, json: readFileSync(json, 'utf8') };
}

const WORKER_READ = /^threads: notes read \d+ here, [1-9]\d* by the worker$/m;

describe('report --gcov-json from two threads', () => {
  for (const config of listFixtures())
    it(`${config}: every object equals gcov`, () => {
      const dir = join(fixturesRoot(), config);
      const json = join(tmp, `${config}.jsonl`);
      const r = report(['--build', join(dir, 'gcno'), '--image', join(dir, 'image.bin')], '2', json);
      expect(r.err).toMatch(WORKER_READ);
      expect(r.out).not.toMatch(/problem|skipped|note:/);
      expect(r.status).toBe(0);
      expectGcovDocs(dir, r.json);
    });

  it('damaged pairs: the same output and problems as one thread', () => {
    const src = 'test/fuzz/damaged';
    const tree = join(tmp, 'damaged');
    let k = 0;
    for (const f of readdirSync(src)
      .filter((f) => f.endsWith('.bin'))
      .sort()) {
      const { notes, data } = splitPair(new Uint8Array(readFileSync(join(src, f))));
      const d = join(tree, String(k++).padStart(3, '0'));
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'x.gcno'), notes);
      // some objects without data, counted as never executed
      if (k % 5 !== 0) writeFileSync(join(d, 'x.gcda'), data);
    }
    const args = ['--build', tree, '--gcda', tree];
    const one = report(args, '1', join(tmp, 'one.jsonl'));
    const two = report(args, '2', join(tmp, 'two.jsonl'));
    expect(two.err).toMatch(WORKER_READ);
    expect(one.out).toMatch(/^problem: /m);
    expect(two.out).toBe(one.out);
    expect(two.json).toBe(one.json);
    expect(two.status).toBe(one.status);
  });
});
