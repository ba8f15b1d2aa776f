/**
 * Fuzz targets: one per parser. `run` feeds an input to the parser and checks what it
 * returns; it may throw InputError (a refused input: fine) and nothing else. A broken
 * invariant throws an InvariantError. `seeds` are the real fixtures (fixtures/gen).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isInputError } from '../../src/gcov/errors';
import { extractImage } from '../../src/gcov/extract';
import { readGcno } from '../../src/gcov/gcno';
import { readGcda } from '../../src/gcov/gcda-reader';
import { parseGcda, writeMergedGcda } from '../../src/gcov/gcda-merge';
import { readElf } from '../../src/gcov/elf';
import { outputPath, safeRelativePath, stripLevels } from '../../src/gcov/paths';
import { DEFAULT_LIMITS, unpackArchive, type ArchiveLimits } from '../../src/model/archive';
import { computeCoverage, computeCoverageOfData, type ObjectCoverage } from '../../src/model/coverage';
import {
  gcovJsonFiles,
  keepBranchNumbers,
  keptBranchNumbers,
  textBranchNumbers,
} from '../../src/model/gcov-json';
import { packJson, unpackJson } from '../../src/model/packed-json';
import { commonSuffix, matchData, normalisePath } from '../../src/model/report';
import type { Gcno } from '../../src/gcov/gcno';
import type { Gcda } from '../../src/gcov/gcda-reader';

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new InvariantError(what);
}

export interface FuzzTarget {
  readonly name: string;
  /** Seed inputs, from the committed fixtures. */
  seeds(root: string): Uint8Array[];
  run(input: Uint8Array): void | Promise<void>;
}

/** Files under `dir` (recursively) whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith(suffix)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const fixtureDirs = (root: string): string[] =>
  readdirSync(join(root, 'fixtures/gen'))
    .sort()
    .map((c) => join(root, 'fixtures/gen', c));

const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The (.gcno, .gcda) pairs of a fixture: each .gcda with the .gcno of the same relative path. */
function fixturePairs(dir: string): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = [];
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { buildDir: string };
  const obj = join(dir, 'ref', meta.buildDir, 'obj');
  for (const gcda of filesUnder(obj, '.gcda')) {
    const rel = gcda.slice(obj.length + 1).replace(/\.gcda$/, '.gcno');
    try {
      out.push([read(join(dir, 'gcno', rel)), read(gcda)]);
    } catch {
      // a .gcda without notes in the fixture: not a pair
    }
  }
  return out;
}

/** Whether the parser's own verdict: success or a refused input. */
function refused(e: unknown): boolean {
  if (isInputError(e)) return true;
  throw e;
}

// --- core image: detect, walk, write ----------------------------------------------------

/** First byte: how to detect (0: Jailhouse header, 1: scan for gcov_info); the rest: the image. */
const extract: FuzzTarget = {
  name: 'extract',
  seeds: (root) =>
    fixtureDirs(root).flatMap((d) => {
      const img = read(join(d, 'image.bin'));
      return [concat(Uint8Array.of(0), img), concat(Uint8Array.of(1), img)];
    }),
  run(input) {
    if (input.length < 1) return;
    const image = input.subarray(1);
    let res;
    try {
      res = extractImage(image, 'image.bin', (input[0]! & 1) === 1 ? { scan: true } : {});
    } catch (e) {
      refused(e);
      return;
    }
    check(res.files.length === res.stats.objects, 'one file per object written');
    for (const f of res.files) {
      check(
        f.path === res.records.find((r) => r.filename === f.path)?.filename,
        'file named after its record',
      );
      // every file written reads back, and writing what was read gives the same bytes
      const back = parseGcda(f.bytes, f.path);
      check(equalBytes(writeMergedGcda(back), f.bytes), `${f.path}: re-serialisation differs`);
      const g = readGcda(f.bytes, f.path);
      for (const fn of g.functions.values())
        for (const vs of fn.counters.values()) for (const v of vs) check(v >= 0n, 'counter below 0');
    }
  },
};

// --- .gcno -------------------------------------------------------------------------------

const MAX_LINE = 0xffffffff;

function checkGcno(g: Gcno): void {
  for (const fn of g.functions) {
    check(fn.lineStart.length <= fn.blockCount + 1, 'more block line records than blocks');
    // arcs are (source, destination, flags) triples
    for (let k = 0; k + 2 < fn.arcs.length; k += 3)
      check(fn.arcs[k]! < fn.blockCount && fn.arcs[k + 1]! < fn.blockCount, 'arc outside the blocks');
    // line locations are (file, k, k lines) runs; a line number is a 32-bit word
    for (let i = 0; i + 1 < fn.lineTable.length;) {
      check(fn.lineTable[i]! < fn.lineFiles.length, 'line location names no file');
      const k = fn.lineTable[i + 1]!;
      for (let j = 0; j < k; j++) {
        const n = fn.lineTable[i + 2 + j];
        check(n !== undefined && n <= MAX_LINE, `line ${n} out of range`);
      }
      i += 2 + k;
    }
  }
}

const gcno: FuzzTarget = {
  name: 'gcno',
  seeds: (root) => fixtureDirs(root).flatMap((d) => filesUnder(join(d, 'gcno'), '.gcno').map(read)),
  run(input) {
    let g;
    try {
      g = readGcno(input, 'x.gcno');
    } catch (e) {
      refused(e);
      return;
    }
    checkGcno(g);
  },
};

// --- .gcda -------------------------------------------------------------------------------

function checkGcda(g: Gcda): void {
  for (const fn of g.functions.values())
    for (const vs of fn.counters.values())
      for (const v of vs) check(v >= 0n && v < 1n << 64n, 'counter out of range');
}

const gcda: FuzzTarget = {
  name: 'gcda',
  seeds: (root) => fixtureDirs(root).flatMap((d) => fixturePairs(d).map((p) => p[1])),
  run(input) {
    try {
      checkGcda(readGcda(input, 'x.gcda'));
    } catch (e) {
      refused(e);
    }
    let d;
    try {
      d = parseGcda(input, 'x.gcda');
    } catch (e) {
      refused(e);
      return;
    }
    // what was read, written and read again, is written the same
    const once = writeMergedGcda(d);
    const twice = writeMergedGcda(parseGcda(once, 'once.gcda'));
    check(equalBytes(once, twice), 're-serialisation differs');
  },
};

// --- ELF -------------------------------------------------------------------------------

const elf: FuzzTarget = {
  name: 'elf',
  seeds: (root) => fixtureDirs(root).map((d) => read(join(d, 'hv.elf'))),
  run(input) {
    let e;
    try {
      e = readElf(input, 'hv.elf');
    } catch (err) {
      refused(err);
      return;
    }
    check(e.wordSize === 4 || e.wordSize === 8, 'word size');
    for (const [name, s] of e.symbols) check(name !== '' && s.name === name, 'symbol name');
  },
};

// --- archives ------------------------------------------------------------------------------

const LIMITS: ArchiveLimits = { maxEntries: 64, maxTotalBytes: 1 << 22 };
const ARCHIVE_NAMES = ['a.zip', 'a.tar', 'a.tar.gz', 'a.gcda.gz'];

/**
 * First byte: bits 0-1 pick the archive's file name (which says tar for an old tar, or the
 * gzip member name); bit 2 the default limits instead of small ones.
 */
const archive: FuzzTarget = {
  name: 'archive',
  seeds: (root) =>
    filesUnder(join(root, 'test/fuzz/seeds/archive'), '').flatMap((p) => {
      const name = ARCHIVE_NAMES.findIndex((n) => p.endsWith(n.slice(2)));
      return [concat(Uint8Array.of(name), read(p)), concat(Uint8Array.of(name | 4), read(p))];
    }),
  async run(input) {
    if (input.length < 1) return;
    const limits = input[0]! & 4 ? DEFAULT_LIMITS : LIMITS;
    let res;
    try {
      res = await unpackArchive(input.subarray(1), ARCHIVE_NAMES[input[0]! & 3]!, limits);
    } catch (e) {
      refused(e);
      return;
    }
    check(res.entries.length <= limits.maxEntries, 'entry limit');
    let total = 0;
    for (const en of res.entries) {
      total += en.bytes.length;
      checkRelative(en.path);
      check(en.path !== '', 'entry without a name');
    }
    check(total <= limits.maxTotalBytes, 'size limit');
  },
};

// --- paths and .gcda to .gcno matching ------------------------------------------------------

function checkRelative(p: string): void {
  check(!p.startsWith('/'), `absolute path ${JSON.stringify(p)}`);
  if (p === '') return;
  for (const seg of p.split('/'))
    check(
      seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('\0') && !seg.includes('\\'),
      `bad segment in ${JSON.stringify(p)}`,
    );
}

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

/**
 * Byte 0: strip levels; the rest, lines: paths. Each line goes through the path functions;
 * the first half are .gcno names and the rest .gcda names for matchData.
 */
const paths: FuzzTarget = {
  name: 'paths',
  seeds: (root) =>
    fixtureDirs(root).map((d) => {
      const meta = JSON.parse(readFileSync(join(d, 'meta.json'), 'utf8')) as { buildDir: string };
      const obj = join(d, 'ref', meta.buildDir, 'obj');
      const notes = filesUnder(join(d, 'gcno'), '.gcno').map((p) => p.slice(d.length + 1));
      const data = filesUnder(obj, '.gcda').map((p) => p.slice(join(d, 'ref').length));
      return concat(Uint8Array.of(2), new TextEncoder().encode([...notes, ...data].join('\n')));
    }),
  run(input) {
    if (input.length < 1) return;
    const strip = input[0]! % 12;
    const lines = latin1(input.subarray(1, 1 + 65536)).split('\n');
    for (const p of lines) {
      const out = outputPath(p, strip);
      checkRelative(out);
      check(out === safeRelativePath(stripLevels(p, strip)), `fast path differs for ${JSON.stringify(p)}`);
      check(safeRelativePath(out) === out, 'not idempotent');
      check(p.endsWith(stripLevels(p, strip)), 'strip keeps a suffix');
      const norm = normalisePath(p);
      check(normalisePath(norm) === norm, `normalisePath not idempotent on ${JSON.stringify(p)}`);
    }
    // Names, stamps and checksums: a fake notes/data pair per line, stamps from the line's length.
    const half = lines.length >> 1;
    const fakeGcno = (name: string) => ({
      input: { name, bytes: new Uint8Array(0) },
      stamp: name.length & 3,
      checksum: undefined,
    });
    const fakeGcda = (name: string) => ({
      input: { name, bytes: new Uint8Array(0) },
      gcda: { stamp: name.length & 3, checksum: undefined } as unknown as Gcda,
    });
    const notes = lines.slice(0, half).map(fakeGcno);
    const data = lines.slice(half).map(fakeGcda);
    const { pairs, problems } = matchData(notes, data);
    check(pairs.size + problems.length === data.length, 'every .gcda is paired or a problem');
    const used = new Set<unknown>();
    for (const [n, d] of pairs) {
      check(!used.has(d), 'a .gcda paired twice');
      used.add(d);
      check(n.stamp === d.gcda.stamp, 'paired across stamps');
      check(commonSuffix(n.input.name, d.input.name) > 0, 'paired without a common suffix');
    }
  },
};

// --- the engine on a (.gcno, .gcda) pair ------------------------------------------------------

/** 4 bytes: length L of the .gcno (little-endian); then the .gcno; then the .gcda. */
const engine: FuzzTarget = {
  name: 'engine',
  seeds: (root) =>
    [
      ...fixtureDirs(root).flatMap(fixturePairs),
      // prime paths (gcc-15 -fpath-coverage), see scripts/gen-paths-fixture.sh
      ...['O0', 'O2'].map((c): [Uint8Array, Uint8Array] => {
        const d = join(root, 'test/fixtures/paths/gcc15', c);
        return [read(join(d, 'paths.gcno')), read(join(d, 'paths.gcda'))];
      }),
    ].map(([n, a]) => {
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, n.length, true);
      return concat(len, n, a);
    }),
  run(input) {
    if (input.length < 4) return;
    const len = Math.min(
      new DataView(input.buffer, input.byteOffset, 4).getUint32(0, true),
      input.length - 4,
    );
    let notes;
    try {
      notes = readGcno(input.subarray(4, 4 + len), 'x.gcno');
    } catch (e) {
      refused(e);
      return;
    }
    let data: Gcda | undefined;
    try {
      data = readGcda(input.subarray(4 + len), 'x.gcda');
    } catch (e) {
      refused(e);
    }
    // both readings: readGcda's model, and gcov's reading of the bytes (what reports use)
    for (const cov of [
      coverage(() => computeCoverage(notes, data)),
      coverage(() => computeCoverageOfData(notes, input.subarray(4 + len))),
    ])
      if (cov) checkCoverage(cov);
  },
};

function coverage(compute: () => ObjectCoverage): ObjectCoverage | undefined {
  try {
    return compute();
  } catch (e) {
    refused(e);
    return undefined;
  }
}

function checkCoverage(cov: ObjectCoverage): void {
  for (const f of cov.files) {
    check(f.maxLine >= 0 && f.maxLine <= MAX_LINE, 'maxLine out of range');
    const lineTables = [f.lines, ...f.functions.map((fn) => fn.lines)];
    for (const t of lineTables)
      for (const l of t.sorted()) {
        check(
          Number.isInteger(l.lineNumber) && l.lineNumber >= 0 && l.lineNumber <= f.maxLine,
          `line ${l.lineNumber} out of range`,
        );
        // gcov itself reports negative counts when the counters contradict the graph
        check(Number.isSafeInteger(l.count), `line count ${l.count}`);
      }
    for (const fn of f.functions) {
      check(Number.isSafeInteger(fn.executionCount) && fn.blocksExecuted <= fn.blocks, 'function counts');
      for (const c of fn.solved.arcCounts) check(Number.isSafeInteger(c), `arc count ${c}`);
    }
  }
  // the report keeps each document packed: it must unpack to the same, branch numbers included
  const doc = gcovJsonFiles(cov);
  const back = unpackJson(packJson(doc, keptBranchNumbers), keepBranchNumbers) as typeof doc;
  check(JSON.stringify(back) === JSON.stringify(doc), 'packed gcov JSON unpacks to another document');
  doc.forEach((f, i) =>
    f.lines.forEach((l, j) =>
      check(
        textBranchNumbers(back[i]!.lines[j]!).join() === textBranchNumbers(l).join(),
        'packed gcov JSON lost branch numbers',
      ),
    ),
  );
  // prime paths on a small budget: numbered in order, each a walk of the function's blocks
  const json = gcovJsonFiles(cov, { primePaths: true, problems: [], primePathPool: { steps: 2_000_000 } });
  for (const fn of json.flatMap((f) => f.functions)) {
    const total = fn.total_prime_paths ?? 0;
    let last = -1;
    for (const p of fn.prime_path_coverage ?? []) {
      check(p.id > last && p.id < total, `path id ${p.id} of ${total}`);
      check(p.sequence.length > 0, 'empty path');
      last = p.id;
    }
  }
}

export const TARGETS: readonly FuzzTarget[] = [extract, gcno, gcda, elf, archive, paths, engine];
