/**
 * `hvcov report --package / --markdown / --baseline / --threshold` on a committed fixture:
 * the package from a .gcda folder, the date from --date or SOURCE_DATE_EPOCH, the summary
 * against a previous package's manifest, and bad arguments refused with exit status 2.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Manifest } from '../../src/model/evidence';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(['report', '--build', join(fx.dir, 'gcno'), ...args], (s) => lines.push(s));
    return { code, text: lines.join('\n') };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

const work = mkdtempSync(join(tmpdir(), 'hvcov-evidence-cli-'));
const gcdaDir = join(work, 'gcda');
for (const [path, bytes] of fx.ref) {
  mkdirSync(dirname(join(gcdaDir, path)), { recursive: true });
  writeFileSync(join(gcdaDir, path), bytes);
}

describe('hvcov report --package / --markdown', () => {
  it('packages .gcda files given as a folder, hashed as inputs, dated by SOURCE_DATE_EPOCH', async () => {
    const zip = join(work, 'gcda.zip');
    const r = await run(['--gcda', gcdaDir, '--package', zip], { SOURCE_DATE_EPOCH: '86400' });
    expect(r.code, r.text).toBe(0);
    const entries = unzipSync(new Uint8Array(readFileSync(zip)));
    const m = JSON.parse(strFromU8(entries['manifest.json']!)) as Manifest;
    expect(m.date).toBe(new Date(86400 * 1000).toISOString().replace('.000Z', 'Z'));
    expect(entries['gcda.zip']).toBeUndefined();
    expect(m.extracted).toEqual([]);
    const gcda = m.inputs.filter((i) => i.role === 'gcda');
    expect(gcda.length).toBe(fx.ref.size);
    const byHash = new Set([...fx.ref.values()].map(sha));
    for (const g of gcda) expect(byHash.has(g.sha256), g.name).toBe(true);
    // named below the folder they share, whatever that folder is
    for (const g of gcda) expect(g.name.startsWith('/')).toBe(false);
    expect(m.inputs.filter((i) => i.role === 'gcno').length).toBe(walkFiles(join(fx.dir, 'gcno')).length);
    expect(m.targets).toEqual([]);
  });

  it('writes the summary against a previous package’s manifest', async () => {
    const zip = join(work, 'p.zip');
    const r = await run([
      '--image',
      join(fx.dir, 'image.bin'),
      '--package',
      zip,
      '--date',
      '2020-02-03T04:05:06Z',
    ]);
    expect(r.code, r.text).toBe(0);
    const manifest = join(work, 'manifest.json');
    writeFileSync(manifest, unzipSync(new Uint8Array(readFileSync(zip)))['manifest.json']!);
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    expect(m.date).toBe('2020-02-03T04:05:06Z');

    const md = join(work, 'summary.md');
    const s = await run([
      '--image',
      join(fx.dir, 'image.bin'),
      '--markdown',
      md,
      '--baseline',
      manifest,
      '--threshold',
      '100',
    ]);
    expect(s.code, s.text).toBe(0);
    const text = readFileSync(md, 'utf8');
    const l = m.totals.lines;
    expect(text).toContain(`| Lines | ${l.hit}/${l.total} |`);
    expect(text).toMatch(/\| Lines \| [^|]+ \| [^|]+ \| ±0\.0 \|/);
    const partial = m.files.filter((f) => f.lines.total > 0 && f.lines.hit < f.lines.total).length;
    expect(text).toContain(`### ${partial} of ${m.files.length} files below 100 % line coverage`);

    // the package itself as the baseline: the same summary
    const fromZip = join(work, 'summary-zip.md');
    const z = await run([
      '--image',
      join(fx.dir, 'image.bin'),
      '--markdown',
      fromZip,
      '--baseline',
      zip,
      '--threshold',
      '100',
    ]);
    expect(z.code, z.text).toBe(0);
    expect(readFileSync(fromZip, 'utf8')).toBe(text);
  });

  it('refuses bad arguments with exit status 2', async () => {
    const img = ['--image', join(fx.dir, 'image.bin')];
    const md = join(work, 'x.md');
    expect((await run([...img, '--markdown', md, '--threshold', '101'])).code).toBe(2);
    expect((await run([...img, '--markdown', md, '--threshold', 'x'])).code).toBe(2);
    expect((await run([...img, '--baseline', join(work, 'manifest.json')])).code).toBe(2);
    expect((await run([...img, '--package', join(work, 'y.zip'), '--date', 'yesterday'])).code).toBe(2);
    const notManifest = join(work, 'not.json');
    writeFileSync(notManifest, '{"a":1}');
    const r = await run([...img, '--markdown', md, '--baseline', notManifest]);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/not an hvcov evidence manifest/);
  });
});
