/**
 * The classifier on every committed fixture run (little- and big-endian targets): the core
 * image, the ELF, each .gcno the compiler wrote, each .gcda libgcov wrote, the sources, and
 * archives of them made by the real tar. Then the session the worker runs, on one run's files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { classify } from '../../src/model/classify';
import { Session, type InputFile } from '../../src/model/session';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const work = mkdtempSync(join(tmpdir(), 'hvcov-classify-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bytesOf = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

describe.each(listFixtures())('%s', (config) => {
  const fx = loadFixture(config);

  it('tells each file of the run by its content', () => {
    expect(classify('core', fx.image)).toBe('image');
    expect(classify('hypervisor.o', fx.elf)).toBe('elf');
    for (const f of walkFiles(join(fx.dir, 'gcno'))) expect(classify(f, bytesOf(f)), f).toBe('gcno');
    // the name does not decide: a .gcno under another name is still one
    for (const f of walkFiles(join(fx.dir, 'gcno'))) expect(classify('data.bin', bytesOf(f)), f).toBe('gcno');
    for (const f of walkFiles(join(fx.dir, 'ref'))) expect(classify(f, bytesOf(f)), f).toBe('gcda');
    for (const f of walkFiles(join(fx.dir, 'src'))) expect(classify(f, bytesOf(f)), f).toBe('source');
    expect(classify('meta.json', bytesOf(join(fx.dir, 'meta.json')))).toBe('unknown');
  });
});

describe('archives and the session', () => {
  const config = 'gcc12-armhf-O0';
  const fx = loadFixture(config);
  const gcno = walkFiles(join(fx.dir, 'gcno'));
  const src = walkFiles(join(fx.dir, 'src'));

  it('classifies tar, tar.gz and zip as archives', () => {
    for (const [name, args] of [
      ['a.tar', ['-cf']],
      ['a.tgz', ['-czf']],
    ] as const) {
      execFileSync('tar', [...args, join(work, name), 'gcno'], { cwd: fx.dir });
      expect(classify(name, bytesOf(join(work, name)))).toBe('archive');
    }
    execFileSync('zip', ['-qr', join(work, 'a.zip'), 'gcno'], { cwd: fx.dir });
    expect(classify('a.zip', bytesOf(join(work, 'a.zip')))).toBe('archive');
  });

  it('unpacks, classifies, extracts and zips what libgcov wrote', async () => {
    const tgz = join(work, 'tree.tar.gz');
    execFileSync('tar', ['-czf', tgz, 'gcno', 'src'], { cwd: fx.dir });
    const inputs: InputFile[] = [
      { path: 'image.bin', bytes: fx.image },
      { path: 'hv.elf', bytes: fx.elf },
      { path: 'tree.tar.gz', bytes: bytesOf(tgz) },
      { path: 'meta.json', bytes: bytesOf(join(fx.dir, 'meta.json')) },
    ];
    const stages = new Set<string>();
    const s = new Session();
    const sum = await s.add(inputs, (p) => stages.add(p.stage));
    expect([...stages]).toEqual(['unpack', 'classify', 'extract', 'match', 'solve', 'index']);
    expect(sum.report).toBe(true);
    expect(sum.counts).toMatchObject({ image: 1, elf: 1, gcno: gcno.length, source: src.length, unknown: 1 });
    expect(sum.problems.map((p) => p.file)).toEqual(['meta.json']);
    const [major, minor] = fx.meta.gcc.split('.');
    expect(sum.image?.gcc).toEqual([`${major}.${minor}`]);
    expect(sum.image?.objects).toBe(fx.ref.size);
    expect(sum.text).toContain(`GCC ${major}.${minor}`);
    expect(sum.text).toContain(`${fx.ref.size} objects`);
    expect(sum.text).toContain(`${gcno.length} .gcno`);
    const files = sum.files.filter((f) => f.kind === 'gcno').map((f) => f.path);
    expect(files.sort()).toEqual(gcno.map((f) => `tree/${relative(fx.dir, f)}`).sort());

    const zip = unzipSync(s.zip(0));
    expect(new Map(Object.entries(zip).map(([p, b]) => ['/' + p, b]))).toEqual(fx.ref);
  });
});
