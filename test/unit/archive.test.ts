/**
 * The tar/gzip/zip reader on archives made by the real `tar` and `zip` commands from real
 * fixture files: contents byte for byte, long names in each tar dialect, hostile names,
 * links, limits and damage.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { archiveKind, gunzip, readTar, readZip, unpackArchive } from '../../src/model/archive';
import { fixturesRoot, walkFiles } from '../helpers/fixtures';

const fixtureDir = join(fixturesRoot(), 'gcc12-armhf-O0');
let work: string;
/** tree/: the fixture's gcno and src folders, plus one file under a path longer than 100 bytes. */
let tree: string;
let expected: Map<string, Uint8Array>;
const longDir = Array.from({ length: 6 }, (_, i) => `a-rather-long-directory-name-${i}`).join('/');

const bytesOf = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const tar = (args: string[], cwd = tree): void => void execFileSync('tar', args, { cwd, stdio: 'pipe' });
const asMap = (entries: { path: string; bytes: Uint8Array }[]) =>
  new Map(entries.map((e) => [e.path, e.bytes]));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hvcov-archive-'));
  tree = join(work, 'tree');
  mkdirSync(tree);
  cpSync(join(fixtureDir, 'gcno'), join(tree, 'gcno'), { recursive: true });
  cpSync(join(fixtureDir, 'src'), join(tree, 'src'), { recursive: true });
  mkdirSync(join(tree, longDir), { recursive: true });
  cpSync(join(fixtureDir, 'gcno/lib.gcno'), join(tree, longDir, 'lib.gcno'));
  expected = new Map(walkFiles(tree).map((p) => [relative(tree, p), bytesOf(p)]));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tar', () => {
  it.each(['gnu', 'ustar', 'pax', 'v7'])('reads every file of a %s archive byte for byte', (format) => {
    const out = join(work, `t-${format}.tar`);
    // v7 has no way to store a name past 100 bytes: leave the long one out there
    const what = format === 'v7' ? ['gcno', 'src'] : ['.'];
    tar([`--format=${format}`, '-cf', out, ...what]);
    const bytes = bytesOf(out);
    const r = readTar(bytes, out);
    expect(r.problems).toEqual([]);
    const want =
      format === 'v7' ? new Map([...expected].filter(([p]) => !p.startsWith('a-rather'))) : expected;
    expect(asMap(r.entries)).toEqual(want);
    expect(archiveKind(bytes, out)).toBe('tar');
  });

  it('reads a tar.gz through DecompressionStream', async () => {
    const out = join(work, 't.tar.gz');
    tar(['-czf', out, '.']);
    const bytes = bytesOf(out);
    expect(archiveKind(bytes, out)).toBe('gzip');
    const r = await unpackArchive(bytes, out);
    expect(r.problems).toEqual([]);
    expect(asMap(r.entries)).toEqual(expected);
  });

  it('keeps entries named with .. or an absolute path inside the archive root', () => {
    const base = join(work, 'hostile');
    const inner = join(base, 'in');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(base, 'outside.txt'), 'outside');
    writeFileSync(join(work, 'climbing.txt'), 'climbing');
    const abs = join(work, 'absolute.txt');
    writeFileSync(abs, 'absolute');
    const out = join(work, 'hostile.tar');
    // -P keeps the names exactly as given: a leading ../ and an absolute path
    tar(['-P', '-cf', out, '../outside.txt', '../in/../../climbing.txt', abs], inner);
    const listed = execFileSync('tar', ['-P', '-tf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listed.some((n) => n.startsWith('../'))).toBe(true);
    expect(listed.some((n) => n.startsWith('/'))).toBe(true);
    const r = readTar(bytesOf(out), out);
    expect(r.problems).toEqual([]);
    expect(r.entries).toHaveLength(listed.length);
    for (const e of r.entries) {
      expect(e.path.startsWith('/')).toBe(false);
      expect(e.path.split('/')).not.toContain('..');
      expect(e.path.split('/')).not.toContain('.');
    }
    expect(new TextDecoder().decode(r.entries[0]!.bytes)).toBe(
      readFileSync(join(base, 'outside.txt'), 'utf8'),
    );
    expect(r.entries[0]!.path).toBe('outside.txt');
  });

  it('reports links and does not follow them', () => {
    const dir = join(work, 'links');
    mkdirSync(dir);
    cpSync(join(fixtureDir, 'gcno/lib.gcno'), join(dir, 'lib.gcno'));
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    const out = join(work, 'links.tar');
    tar(['-cf', out, 'lib.gcno', 'passwd'], dir);
    const r = readTar(bytesOf(out), out);
    expect(r.entries.map((e) => e.path)).toEqual(['lib.gcno']);
    expect(r.problems.map((p) => p.code)).toEqual(['unsupported']);
  });

  it('stops at the entry limit and the size limit, keeping what came before', () => {
    const out = join(work, 'limits.tar');
    tar(['-cf', out, 'gcno']);
    const bytes = bytesOf(out);
    const all = readTar(bytes, out).entries;
    const few = readTar(bytes, out, { maxEntries: 2, maxTotalBytes: 1 << 30 });
    expect(few.entries).toEqual(all.slice(0, 2));
    expect(few.problems.map((p) => p.code)).toEqual(['limit']);
    const budget = all[0]!.bytes.length + all[1]!.bytes.length;
    const small = readTar(bytes, out, { maxEntries: 1000, maxTotalBytes: budget });
    expect(small.entries).toEqual(all.slice(0, 2));
    expect(small.problems.map((p) => p.code)).toEqual(['limit']);
  });

  it('keeps the entries before a truncation or a damaged header', () => {
    const out = join(work, 'damaged.tar');
    tar(['--format=ustar', '-cf', out, 'gcno']);
    const bytes = bytesOf(out);
    const all = readTar(bytes, out).entries;
    // cut inside the third entry's data
    const third = all[2]!.bytes.byteOffset - bytes.byteOffset;
    const cut = readTar(bytes.subarray(0, third + 1), out);
    expect(cut.entries).toEqual(all.slice(0, 2));
    expect(cut.problems.map((p) => p.code)).toEqual(['truncated']);
    // damage the third header (512 bytes before its data)
    const bad = bytes.slice();
    bad[third - 512 + 10]! ^= 0xff;
    const damaged = readTar(bad, out);
    expect(damaged.entries.map((e) => e.path)).toEqual(all.slice(0, 2).map((e) => e.path));
    expect(damaged.problems.map((p) => p.code)).toEqual(['checksum']);
  });

  it('bounds what a gzip stream may unpack to', async () => {
    const out = join(work, 'big.tar.gz');
    tar(['-czf', out, '.']);
    const bytes = bytesOf(out);
    const size = [...expected.values()].reduce((n, b) => n + b.length, 0);
    await expect(gunzip(bytes, out, size / 2)).rejects.toSatisfy(
      (e: unknown) => e instanceof InputError && e.code === 'limit',
    );
    await expect(gunzip(bytes.subarray(0, bytes.length >> 1), out)).rejects.toBeInstanceOf(InputError);
  });
});

describe('zip', () => {
  it('reads every file of an archive made by zip, byte for byte', async () => {
    const out = join(work, 't.zip');
    execFileSync('zip', ['-qr', out, '.'], { cwd: tree });
    const bytes = bytesOf(out);
    expect(archiveKind(bytes, out)).toBe('zip');
    const r = await unpackArchive(bytes, out);
    expect(r.problems).toEqual([]);
    expect(asMap(r.entries)).toEqual(expected);
    const few = readZip(bytes, out, { maxEntries: 3, maxTotalBytes: 1 << 30 });
    expect(few.entries).toHaveLength(3);
    expect(few.problems.map((p) => p.code)).toEqual(['limit']);
  });
});
