/**
 * `hvcov report` on archives made by the real tar and gzip: a .tar.gz of the .gcno folder
 * and a gzip-compressed image give the same lcov as the folder and the image; the
 * --max-entries and --max-unpacked limits are in --help, hold, and name the archive.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const work = mkdtempSync(join(tmpdir(), 'hvcov-limits-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tgz = join(work, 'gcno.tar.gz');
execFileSync('tar', ['-czf', tgz, 'gcno'], { cwd: fx.dir });
const imageGz = join(work, 'image.bin.gz');
writeFileSync(imageGz, execFileSync('gzip', ['-c', join(fx.dir, 'image.bin')], { maxBuffer: 1 << 30 }));

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('hvcov report limits', () => {
  it('states the limits and their defaults in --help', async () => {
    const r = await run(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/--max-unpacked SIZE .*\n.*default 1 GiB/);
    expect(r.text).toMatch(/--max-entries N .*\n.*default 100000/);
  });

  it('reads a .tar.gz of the build and a gzip-compressed image as the folder and the image', async () => {
    const plain = join(work, 'plain.info');
    const packed = join(work, 'packed.info');
    const a = await run([
      'report',
      '--build',
      join(fx.dir, 'gcno'),
      '--image',
      join(fx.dir, 'image.bin'),
      '--lcov',
      plain,
    ]);
    const b = await run(['report', '--build', tgz, '--image', imageGz, '--lcov', packed]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(packed, 'utf8')).toBe(readFileSync(plain, 'utf8'));
  });

  it('stops at --max-entries, naming the archive, and reports the rest', async () => {
    const r = await run(['report', '--build', tgz, '--image', imageGz, '--max-entries', '3']);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/problem: .*gcno\.tar\.gz.*: more than 3 entries \(the limit/);
    expect(r.text).toMatch(/report: +3 \.gcno,/);
    expect(walkFiles(join(fx.dir, 'gcno')).length).toBeGreaterThan(3);
  });

  it('refuses an image that unpacks past --max-unpacked, naming it', async () => {
    const r = await run([
      'report',
      '--build',
      join(fx.dir, 'gcno'),
      '--image',
      imageGz,
      '--max-unpacked',
      '1K',
    ]);
    expect(r.code).toBe(2);
    expect(r.text).toContain(`error: ${imageGz}: unpacks to more than 1 KiB`);
  });

  it('rejects limits that are not sizes or counts', async () => {
    for (const bad of [
      ['--max-unpacked', 'lots'],
      ['--max-entries', '0'],
      ['--max-entries', '1.5'],
    ]) {
      const r = await run(['report', '--build', tgz, '--image', imageGz, ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.text).toContain(`error: command line: ${bad[0]} ${bad[1]}`);
    }
  });
});
