/**
 * Hostile archives built here: entry names that climb out, are absolute, carry drive
 * letters, backslashes, NUL and control characters or run very long; zip, zip-with-lying-
 * sizes and gzip bombs; archives nested in archives; an entry whose declared size no
 * memory can hold. Every name stays under the archive root, every bound holds and names
 * the archive, what was valid is kept. The .gcda zip we write keeps hostile recorded
 * paths under the root the real `unzip` extracts it to.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync, zipSync, deflateSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import {
  MAX_DEPTH,
  MAX_NAME,
  readTar,
  readZip,
  unpackArchive,
  type ArchiveEntry,
} from '../../src/model/archive';
import { gcdaEntryName, gcdaZip } from '../../src/model/gcda-zip';
import { isOutOfMemory, outOfMemory } from '../../src/model/out-of-memory';
import { formatSize, parseSize } from '../../src/model/limits';
import { Session } from '../../src/model/session';
import { walkFiles } from '../helpers/fixtures';

const work = mkdtempSync(join(tmpdir(), 'hvcov-hostile-archive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOSTILE_NAMES = [
  '../../etc/passwd',
  '/abs/olute.c',
  'C:\\Windows\\system32\\evil.c',
  'D:/drive/forward.c',
  'E:relative.c',
  '\\\\server\\share\\unc.c',
  'a\\..\\..\\..\\back.c',
  'dir/./../../../../up.c',
  'nul\0inside.c',
  'ctl\x01\x1f\x7f.c',
  `${'x'.repeat(MAX_NAME + 10)}.c`,
];

/** The properties every entry path must have, whatever the archive said. */
function expectContained(path: string): void {
  const segs = path.split('/');
  expect(path, path).not.toBe('');
  expect(path.startsWith('/'), path).toBe(false);
  expect(segs, path).not.toContain('..');
  expect(segs, path).not.toContain('.');
  expect(segs, path).not.toContain('');
  expect(path, path).not.toMatch(/[\\\p{Cc}]/u);
  expect(segs[0], path).not.toMatch(/^[A-Za-z]:/);
  expect(path.length, path).toBeLessThanOrEqual(MAX_NAME);
}

const zeros = (n: number): Uint8Array => new Uint8Array(n);
const sumBytes = (entries: ArchiveEntry[]): number => entries.reduce((n, e) => n + e.bytes.length, 0);

describe('hostile entry names', () => {
  it('keeps every zip entry under the archive root, and says which it skipped', () => {
    const tree: Record<string, Uint8Array> = {};
    HOSTILE_NAMES.forEach((n, i) => (tree[n] = strToU8(`file ${i}\n`)));
    const r = readZip(zipSync(tree), 'names.zip');
    for (const e of r.entries) expectContained(e.path);
    // all but the over-long name are kept, each with its own content
    expect(r.entries).toHaveLength(HOSTILE_NAMES.length - 1);
    expect(new Set(r.entries.map((e) => new TextDecoder().decode(e.bytes))).size).toBe(r.entries.length);
    expect(r.problems.map((p) => [p.code, p.file])).toEqual([['bad-string', 'names.zip']]);
    const paths = new Map(r.entries.map((e) => [new TextDecoder().decode(e.bytes), e.path]));
    expect(paths.get('file 0\n')).toBe('etc/passwd');
    expect(paths.get('file 2\n')).toBe('Windows/system32/evil.c');
    expect(paths.get('file 6\n')).toBe('back.c');
  });

  it('keeps every tar entry (pax names, as Python writes them) under the root', () => {
    const out = join(work, 'names.tar');
    const names = HOSTILE_NAMES.filter((n) => !n.includes('\0'));
    execFileSync('python3', [
      '-c',
      `import sys, tarfile, io, json
names = json.loads(sys.argv[2])
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    for i, n in enumerate(names):
        data = ('file %d\\n' % i).encode()
        info = tarfile.TarInfo(n)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))`,
      out,
      JSON.stringify(names),
    ]);
    const r = readTar(new Uint8Array(readFileSync(out)), out);
    for (const e of r.entries) expectContained(e.path);
    expect(r.entries).toHaveLength(names.length - 1);
    expect(r.problems.map((p) => p.code)).toEqual(['bad-string']);
  });
});

describe('bombs', () => {
  it('does not inflate a zip whose entries declare more than the limit', () => {
    const bomb = zipSync({ 'a.bin': zeros(8 << 20), 'b.c': strToU8('int b;\n') }, { level: 9 });
    expect(bomb.length).toBeLessThan(64 << 10);
    const r = readZip(bomb, 'bomb.zip', { maxEntries: 10, maxTotalBytes: 1 << 20 });
    expect(r.entries).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.code).toBe('limit');
    expect(r.problems[0]!.message).toMatch(
      /^bomb\.zip: more than 1 MiB unpacked .*a\.bin and the rest ignored/,
    );
  });

  it('never inflates a zip entry past the size it declares', () => {
    const real = 4 << 20;
    const zip = zipSync({ 'liar.bin': zeros(real) }, { level: 9 });
    // declare 1000 bytes in the local and the central header: the data still inflates to 4 MiB
    const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let at = 0; at + 4 <= zip.length; at++) {
      const sig = dv.getUint32(at, true);
      if (sig === 0x04034b50) dv.setUint32(at + 22, 1000, true);
      if (sig === 0x02014b50) dv.setUint32(at + 24, 1000, true);
    }
    const r = readZip(zip, 'liar.zip', { maxEntries: 10, maxTotalBytes: 4096 });
    expect(sumBytes(r.entries)).toBeLessThanOrEqual(1000);
  });

  it('stops a gzip bomb while streaming, naming the archive', async () => {
    const gz = new Uint8Array(execFileSync('gzip', ['-9c'], { input: zeros(32 << 20), maxBuffer: 1 << 30 }));
    expect(gz.length).toBeLessThan(64 << 10);
    const err = await unpackArchive(gz, 'zeros.bin.gz', { maxEntries: 10, maxTotalBytes: 2 << 20 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('limit');
    expect((err as InputError).message).toMatch(/^zeros\.bin\.gz: unpacks to more than 2 MiB/);
  });

  it('counts archives nested in archives against the one limit', async () => {
    const inner = zipSync({ 'big.bin': zeros(600 << 10), 'small.c': strToU8('int s;\n') }, { level: 0 });
    const outer = zipSync({ 'one.zip': inner, 'two.zip': inner, 'top.c': strToU8('int t;\n') }, { level: 0 });
    const r = await unpackArchive(outer, 'outer.zip', { maxEntries: 100, maxTotalBytes: 2 << 20 });
    const paths = r.entries.map((e) => e.path).sort();
    // the outer zip's own entries (1.2 MiB) and one.zip's fit; two.zip's big.bin does not
    expect(paths).toEqual(['one/big.bin', 'one/small.c', 'top.c']);
    expect(r.problems.map((p) => [p.code, p.file])).toEqual([['limit', 'outer.zip/two.zip']]);
    expect(r.problems[0]!.message).toContain('more than 2 MiB unpacked');
    expect(sumBytes(r.entries)).toBeLessThanOrEqual(2 << 20);
  });

  it('unpacks nested archives in place, zip in tar.gz in zip, down to the depth limit', async () => {
    const dir = join(work, 'nest');
    mkdirSync(dir);
    writeFileSync(join(dir, 'deep.zip'), zipSync({ 'src/deep.c': strToU8('int d;\n') }));
    execFileSync('tar', ['-czf', join(work, 'mid.tar.gz'), 'deep.zip'], { cwd: dir });
    const outer = zipSync({ 'mid.tar.gz': new Uint8Array(readFileSync(join(work, 'mid.tar.gz'))) });
    const r = await unpackArchive(outer, 'outer.zip');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.path)).toEqual(['mid/deep/src/deep.c']);

    let nested: Uint8Array = strToU8('int x;\n');
    for (let i = MAX_DEPTH + 1; i >= 1; i--)
      nested = zipSync({ [i === MAX_DEPTH + 1 ? 'x.c' : `l${i}.zip`]: nested });
    const deep = await unpackArchive(nested, 'l0.zip');
    expect(deep.problems.map((p) => p.code)).toEqual(['limit']);
    expect(deep.problems[0]!.message).toContain(`nested more than ${MAX_DEPTH} deep`);
    expect(deep.entries).toHaveLength(1);
    expect(deep.entries[0]!.path.split('/')).toHaveLength(MAX_DEPTH);
  });
});

/** A zip64 archive of one deflated entry whose declared size is `declared` bytes. */
function zip64(name: string, data: Uint8Array, declared: number): Uint8Array {
  const body = deflateSync(data);
  const n = strToU8(name);
  const extra = (): Uint8Array => {
    const x = new Uint8Array(20);
    const v = new DataView(x.buffer);
    v.setUint16(0, 1, true);
    v.setUint16(2, 16, true);
    v.setBigUint64(4, BigInt(declared), true);
    v.setBigUint64(12, BigInt(body.length), true);
    return x;
  };
  const header = (central: boolean): Uint8Array => {
    const h = new Uint8Array(central ? 46 : 30);
    const v = new DataView(h.buffer);
    const o = central ? 2 : 0;
    v.setUint32(0, central ? 0x02014b50 : 0x04034b50, true);
    if (central) v.setUint16(4, 45, true);
    v.setUint16(4 + o, 45, true);
    v.setUint16(8 + o, 8, true);
    // CRC left 0: the reader does not check it
    v.setUint32(18 + o, 0xffffffff, true);
    v.setUint32(22 + o, 0xffffffff, true);
    v.setUint16(26 + o, n.length, true);
    v.setUint16(28 + o, 20, true);
    return h;
  };
  const local = [header(false), n, extra(), body];
  const localLen = local.reduce((s, p) => s + p.length, 0);
  const central = [header(true), n, extra()];
  const centralLen = central.reduce((s, p) => s + p.length, 0);
  const end64 = new Uint8Array(56);
  const e = new DataView(end64.buffer);
  e.setUint32(0, 0x06064b50, true);
  e.setBigUint64(4, 44n, true);
  e.setUint16(12, 45, true);
  e.setUint16(14, 45, true);
  e.setBigUint64(24, 1n, true);
  e.setBigUint64(32, 1n, true);
  e.setBigUint64(40, BigInt(centralLen), true);
  e.setBigUint64(48, BigInt(localLen), true);
  const locator = new Uint8Array(20);
  const l = new DataView(locator.buffer);
  l.setUint32(0, 0x07064b50, true);
  l.setBigUint64(8, BigInt(localLen + centralLen), true);
  l.setUint32(16, 1, true);
  const end = new Uint8Array(22);
  const d = new DataView(end.buffer);
  d.setUint32(0, 0x06054b50, true);
  d.setUint16(8, 1, true);
  d.setUint16(10, 1, true);
  d.setUint32(12, centralLen, true);
  d.setUint32(16, localLen, true);
  const parts = [...local, ...central, end64, locator, end];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('memory', () => {
  it('reads a well-formed zip64 entry', () => {
    const data = strToU8('int z;\n');
    expect(unzipSync(zip64('z.c', data, data.length))['z.c']).toEqual(data);
  });

  it('refuses an entry declaring far more than its data can inflate to, before allocating, keeping the other inputs', async () => {
    // with the limits raised out of the way, a declared 4 PiB entry must still not reach the allocator
    const huge = 2 ** 52;
    const s = new Session({ maxEntries: 10, maxTotalBytes: 2 ** 53 });
    const summary = await s.add([
      { path: 'huge.zip', bytes: zip64('huge.bin', strToU8('x'), huge) },
      { path: 'kept.c', bytes: strToU8('int kept;\n') },
    ]);
    expect(summary.files.map((f) => f.path)).toEqual(['kept.c']);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]!.file).toMatch(/^huge\.zip/);
    expect(summary.problems[0]!.message).toMatch(/huge\.bin/);
  });

  it('names a refused allocation as not enough memory, and only that', () => {
    const huge = 2 ** 52;
    let refused: unknown;
    try {
      new ArrayBuffer(huge);
    } catch (e) {
      refused = e;
    }
    const problem = outOfMemory('huge.zip', 'unpacking', 120);
    expect(problem.code).toBe('limit');
    expect(problem.message).toMatch(/^huge\.zip: not enough memory for unpacking \(120 bytes\)/);
    expect(isOutOfMemory(refused)).toBe(true);
    expect(isOutOfMemory(new RangeError('Maximum call stack size exceeded'))).toBe(false);
  });
});

describe('limits as text', () => {
  it('reads and writes sizes in binary units', () => {
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseSize('512MiB')).toBe(512 * 1024 ** 2);
    expect(parseSize('1.5k')).toBe(1536);
    expect(parseSize('100000')).toBe(100000);
    for (const bad of ['', 'lots', '-1', '0', '1X', '1e9']) expect(parseSize(bad), bad).toBeUndefined();
    expect(formatSize(1 << 30)).toBe('1 GiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(12)).toBe('12 bytes');
    expect(parseSize(formatSize(1 << 30))).toBe(1 << 30);
  });
});

describe('the .gcda zip we write', () => {
  it('keeps hostile recorded paths under the root unzip extracts to, one entry per file', () => {
    const recorded = [
      ...HOSTILE_NAMES.map((n) => `${n}.gcda`),
      '/build/ok/lib.gcda',
      '/build/ok/../ok/lib.gcda',
      '__proto__',
      'constructor',
      `/${'é'.repeat(300)}/long.gcda`,
    ];
    const files = recorded.map((path, i) => ({ path, bytes: strToU8(`gcda ${i}`) }));
    for (const f of files) expectContained(gcdaEntryName(f.path));
    const zip = gcdaZip(files);
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toHaveLength(files.length);
    const into = join(work, 'unzipped');
    mkdirSync(into);
    const zipFile = join(work, 'gcda.zip');
    writeFileSync(zipFile, zip);
    execFileSync('unzip', ['-qq', '-o', zipFile, '-d', into]);
    const root = realpathSync(into);
    const out = walkFiles(into).map((f) => realpathSync(f));
    expect(out).toHaveLength(files.length);
    for (const f of out) expect(relative(root, f).startsWith('..'), f).toBe(false);
    // every file's bytes are there once
    expect(new Set(out.map((f) => readFileSync(f, 'utf8'))).size).toBe(files.length);
    for (const f of out)
      for (const seg of relative(root, f).split('/'))
        expect(Buffer.byteLength(seg), seg).toBeLessThanOrEqual(255);
  });
});
