/** `hvcov report` on a committed fixture, without external tools: outputs, problems, exit status. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { extractImage } from '../../src/gcov/extract';
import { splitPair } from '../fuzz/damaged-select';
import { listFixtures, loadFixture } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('hvcov report', () => {
  it('reads an image and a .gcno folder, writes one gcov JSON document per .gcno', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const jsonl = join(out, 'g.jsonl');
    const r = await run([
      'report',
      '--build',
      join(fx.dir, 'gcno'),
      '--image',
      join(fx.dir, 'image.bin'),
      '--gcov-json',
      jsonl,
      '--summary',
    ]);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(
      new RegExp(`report: +${fx.ref.size} \\.gcno, ${fx.ref.size} \\.gcda, ${fx.ref.size} matched`),
    );
    expect(r.text).toMatch(/^Total +\d+\/\d+ /m);
    const docs = readFileSync(jsonl, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { data_file: string });
    expect(docs.map((d) => d.data_file).sort()).toEqual([...fx.ref.keys()].sort());
  });

  /** The fixture's .gcno folder copied into a new folder and changed by `alter`. */
  function alteredBuild(alter: (build: string) => void): { out: string; build: string } {
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const build = join(out, 'build');
    cpSync(join(fx.dir, 'gcno'), build, { recursive: true });
    alter(build);
    return { out, build };
  }
  const reportOn = (build: string, option: string, file: string) =>
    run(['report', '--build', build, '--image', join(fx.dir, 'image.bin'), option, file]);
  const n = fx.ref.size;
  const counts = new RegExp(`report: +${n} \\.gcno, ${n} \\.gcda, ${n} matched`);

  it.each([['--gcov-json'], ['--lcov']])(
    'with %s, a .gcno that cannot be read is a problem and the rest is reported',
    async (option) => {
      const { out, build } = alteredBuild((b) =>
        symlinkSync(join(b, '..', 'nowhere.gcno'), join(b, 'gone.gcno')),
      );
      const r = await reportOn(build, option, join(out, 'out'));
      expect(r.code).toBe(1);
      expect(r.text).toContain(`problem: ${join(build, 'gone.gcno')}: cannot be read (ENOENT)`);
      expect(r.text).toMatch(counts);
      if (option === '--gcov-json')
        expect(readFileSync(join(out, 'out'), 'utf8').trimEnd().split('\n')).toHaveLength(n);
    },
  );

  it('leaves out a pipe named like a .gcno, with a problem, instead of waiting on it', async () => {
    const { out, build } = alteredBuild((b) => execFileSync('mkfifo', [join(b, 'pipe.gcno')]));
    for (const option of ['--gcov-json', '--lcov']) {
      const r = await reportOn(build, option, join(out, 'out'));
      expect(r.code).toBe(1);
      expect(r.text).toContain(
        `problem: ${join(build, 'pipe.gcno')}: not a regular file (a pipe, socket or device): left out`,
      );
    }
  });

  it('enters each folder of the build once, whatever links lead back to it', async () => {
    const { out, build } = alteredBuild((b) => {
      symlinkSync('..', join(b, 'arch', 'up'));
      symlinkSync('..', join(b, 'arch', 'up2'));
      symlinkSync(b, join(b, 'again'));
    });
    const r = await reportOn(build, '--lcov', join(out, 'x.info'));
    expect(r.code).toBe(0);
    expect(r.text).toMatch(counts);
  });

  it('reads a .gcda folder as written by hvcov extract', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    expect(
      (await run(['extract', join(fx.dir, 'image.bin'), '--out', join(out, 'gcda'), '--quiet'])).code,
    ).toBe(0);
    const r = await run([
      'report',
      '--build',
      join(fx.dir, 'gcno'),
      '--gcda',
      join(out, 'gcda'),
      '--lcov',
      join(out, 'x.info'),
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'x.info'), 'utf8')).toMatch(/^SF:.*\/arch\/irqchip\.c$/m);
  });

  it('prints a damaged .gcda, exits 1 and still reports the others', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    await run(['extract', join(fx.dir, 'image.bin'), '--out', join(out, 'gcda'), '--quiet']);
    const lib = join(out, 'gcda', fx.meta.buildDir, 'obj', 'lib.gcda');
    writeFileSync(lib, readFileSync(lib).subarray(0, 6));
    const r = await run([
      'report',
      '--build',
      join(fx.dir, 'gcno'),
      '--gcda',
      join(out, 'gcda'),
      '--summary',
    ]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/problem: .*lib\.gcda.*too small/);
    // still lib.gcno's data file, read as gcov reads it (here: no count, see damaged-data.ts)
    expect(r.text).not.toMatch(/note: no \.gcda for lib\.gcno/);
    expect(r.text).toMatch(new RegExp(`${fx.ref.size} matched`));
    expect(r.text).toMatch(/problem: .*lib\.gcda at 0x8: stamp 0x0 is not the notes'/);
  });

  it('takes a source name that is a folder for a missing source, and still writes the report', async () => {
    // damaged notes (test/fuzz/damaged) naming a source "": the source root itself
    const pair = splitPair(new Uint8Array(readFileSync('test/fuzz/damaged/62bd9e6c35823626.bin')));
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const tree = join(out, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'x.gcno'), pair.notes);
    writeFileSync(join(tree, 'x.gcda'), pair.data);
    const lcov = join(out, 'x.info');
    const r = await run([
      'report',
      '--build',
      tree,
      '--gcda',
      tree,
      '--source-root',
      out,
      '--lcov',
      lcov,
      '--summary',
    ]);
    expect(r.text).not.toMatch(/EISDIR|^error:/m);
    expect(r.code).not.toBe(2);
    expect(readFileSync(lcov, 'utf8')).toMatch(/^SF:/m);
  });

  it('exits 2 without --build or with both --image and --gcda', async () => {
    expect((await run(['report', '--image', 'x'])).code).toBe(2);
    expect((await run(['report', '--build', '.', '--image', 'x', '--gcda', 'y'])).code).toBe(2);
  });

  it('keeps the provenance: image, target, GCC version', async () => {
    const { buildReport } = await import('../../src/model/report');
    const res = extractImage(fx.image, 'core');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(fx.dir, 'gcno')).length).toBeGreaterThan(0);
    const r = buildReport(
      [{ name: 'lib.gcno', bytes: new Uint8Array(readFileSync(join(fx.dir, 'gcno', 'lib.gcno'))) }],
      res.files.map((f) => ({ name: f.path, bytes: f.bytes, image: 'core', target: 'arm' })),
    );
    const o = r.objects[0]!;
    expect(o).toMatchObject({
      image: 'core',
      target: 'arm',
      gccVersion: fx.meta.gcc.split('.').slice(0, 2).join('.'),
    });
  });
});
