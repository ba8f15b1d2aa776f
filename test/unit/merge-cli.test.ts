/** `hvcov merge` end to end on real images and .gcda trees: tree, zip, strip, errors. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture('gcc12-x86_64-O2-values');
const image = join(fx.dir, 'image.bin');
const ref = join(fx.dir, 'ref');

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

function tree(dir: string): Map<string, Uint8Array> {
  return new Map(walkFiles(dir).map((f) => [relative(dir, f), new Uint8Array(readFileSync(f))]));
}

describe('hvcov merge', () => {
  it('merges a core image with a .gcda tree as it merges the tree with itself', async () => {
    const a = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const b = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const r1 = await run(['merge', image, ref, '--out', a]);
    expect(r1.code).toBe(0);
    expect(r1.text).toMatch(/warning: .* the same run given twice/);
    expect(r1.text).toMatch(new RegExp(`merged 2 run\\(s\\): wrote ${fx.ref.size} .gcda file\\(s\\)`));
    expect((await run(['merge', ref, ref, '--out', b, '--quiet'])).code).toBe(0);
    const ta = tree(a);
    expect([...ta.keys()].map((p) => '/' + p).sort()).toEqual([...fx.ref.keys()].sort());
    expect(ta).toEqual(tree(b));
  });

  it('follows a link loop in a .gcda tree once, not round and round, and skips a pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const looped = join(dir, 'ref');
    cpSync(ref, looped, { recursive: true });
    // two links back up: followed without a guard, the walk never ends
    const sub = join(looped, readdirSync(looped)[0]!);
    symlinkSync('..', join(sub, 'up'));
    symlinkSync('..', join(sub, 'up2'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    // and a pipe named like a .gcda: left out with a line, not waited on
    execFileSync('mkfifo', [join(sub, 'pipe.gcda')]);
    const m = await run(['merge', looped, looped, '--out', a, '--quiet']);
    expect(m.code).toBe(1);
    expect(m.text).toContain(
      `skipped: ${join(sub, 'pipe.gcda')}: not a regular file (a pipe, socket or device): left out`,
    );
    expect((await run(['merge', ref, ref, '--out', b, '--quiet'])).code).toBe(0);
    expect(tree(a)).toEqual(tree(b));
  });

  it('writes the same files into a zip, and strips image paths with --strip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const zip = join(dir, 'm.zip');
    expect((await run(['merge', image, image, '--zip', zip, '--strip', '3', '--quiet'])).code).toBe(0);
    const entries = unzipSync(new Uint8Array(readFileSync(zip)));
    const out = join(dir, 'tree');
    expect((await run(['merge', ref, ref, '--out', out, '--quiet'])).code).toBe(0);
    const want = new Map([...tree(out)].map(([p, b]) => [p.split('/').slice(3).join('/'), b]));
    expect(new Map(Object.entries(entries))).toEqual(want);
  });

  it('refuses runs of another build with both files named (exit 2)', async () => {
    const other = loadFixture('gcc12-aarch64-O2');
    const out = mkdtempSync(join(tmpdir(), 'hvcov-'));
    const { code, text } = await run([
      'merge',
      image,
      join(other.dir, 'image.bin'),
      '--out',
      out,
      '--strip',
      '3',
    ]);
    expect(code).toBe(2);
    expect(text).toMatch(
      /error: .*gcc12-aarch64-O2\/image\.bin: .*\.gcda: does not match .*gcc12-x86_64-O2-values\/image\.bin: .*\.gcda: stamp .* \(another build\)/,
    );
  });

  it('prints its help, and needs --out or --zip', async () => {
    expect((await run(['merge', '--help'])).text).toMatch(/hvcov merge \(IMAGE \| GCDA_DIR\)\.\.\./);
    expect((await run(['merge', ref])).code).toBe(2);
    expect((await run(['help'])).text).toMatch(/hvcov merge RUN\.\.\./);
  });
});
