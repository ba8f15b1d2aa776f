/** `hvcov extract` end to end on a real image: tree, zip, strip, report and exit status. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const imagePath = join(fx.dir, 'image.bin');

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('hvcov --version', () => {
  it('names the version (unbuilt when run from the sources)', async () => {
    for (const arg of ['--version', 'version'])
      expect(await run([arg])).toEqual({ code: 0, text: 'hvcov unbuilt' });
  });
});

describe('hvcov extract', () => {
  it('writes the tree libgcov writes with GCOV_PREFIX=DIR', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const { code, text } = await run(['extract', imagePath, '--out', out]);
    expect(code).toBe(0);
    expect(text).toMatch(/compiler: GCC 12\.\d+/);
    expect(text).toMatch(/target: {3}32-bit little-endian \(arm\)/);
    expect(text).toMatch(/base: {5}0xf0000000 \(Jailhouse default\)/);
    expect(text).toMatch(new RegExp(`found:    ${fx.ref.size} objects`));
    const written = walkFiles(out).map((f) => '/' + relative(out, f));
    expect(written.sort()).toEqual([...fx.ref.keys()].sort());
    for (const f of written) expect(new Uint8Array(readFileSync(join(out, f)))).toEqual(fx.ref.get(f));
  });

  it('drops leading directories with --strip as GCOV_PREFIX_STRIP does', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    expect((await run(['extract', imagePath, '--out', out, '--strip', '2', '--quiet'])).code).toBe(0);
    const written = walkFiles(out)
      .map((f) => relative(out, f))
      .sort();
    const want = [...fx.ref.keys()].map((p) => p.split('/').slice(3).join('/')).sort();
    expect(written).toEqual(want);
  });

  it('writes one zip with the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const zip = join(dir, 'gcda.zip');
    expect((await run(['extract', imagePath, '--zip', zip, '--quiet'])).code).toBe(0);
    const entries = unzipSync(new Uint8Array(readFileSync(zip)));
    expect(Object.keys(entries).sort()).toEqual([...fx.ref.keys()].map((p) => p.slice(1)).sort());
    for (const [name, bytes] of Object.entries(entries)) expect(bytes).toEqual(fx.ref.get('/' + name));
  });

  it('exits 1 and lists each skipped record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const image = fx.image.slice();
    const broken = join(dir, 'core');
    // break the first record's version word, found the way the CLI would
    const { extractImage } = await import('../../src/gcov/extract');
    const first = extractImage(fx.image, 'core').records[0]!;
    new DataView(image.buffer).setUint32(first.offset, 0x12345678, true);
    writeFileSync(broken, image);
    const { code, text } = await run(['extract', broken, '--out', join(dir, 'o')]);
    expect(code).toBe(1);
    expect(text).toMatch(/skipped: .*core at 0x[0-9a-f]+: gcov_info #0 .*version word 0x12345678/);
    expect(text).toMatch(new RegExp(`wrote ${fx.ref.size - 1} \\.gcda`));
  });

  it('exits 2 with a clear message on a file that is not an image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'hello world, this is not a hypervisor memory image at all, not at all'.repeat(2));
    const { code, text } = await run(['extract', f, '--out', dir]);
    expect(code).toBe(2);
    expect(text).toMatch(/error: .*notes\.txt.*no Jailhouse header/);
  });
});
