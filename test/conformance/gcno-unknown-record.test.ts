/**
 * A finding of the fuzzer (test/fuzz/): a .gcno record of a tag gcov does not know ends
 * the current function's records for gcov (its later arcs and lines are not read, so gcov
 * says "no lines for" it and ignores its counters). Our engine must do the same: for every
 * fixture, one ARCS record of control.gcno gets an unknown tag and our JSON must equal gcov's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TAG } from '../../src/gcov/format';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles, type GcovJsonFile } from '../../src/model/gcov-json';
import { fixturesRoot, listFixtures, type FixtureMeta } from '../helpers/fixtures';

/** Offsets of the tag words of every ARCS record: the record chain that starts with a FUNCTION and ends at the end. */
function arcsTags(bytes: Uint8Array): number[] {
  const g = readGcno(bytes, 'x.gcno');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 12; start + 8 <= bytes.length; start += 4) {
    if (v.getUint32(start, g.little) !== TAG.FUNCTION) continue;
    const out: number[] = [];
    let at = start;
    while (at + 8 <= bytes.length) {
      const tag = v.getUint32(at, g.little);
      const len = v.getUint32(at + 4, g.little);
      if (tag === TAG.ARCS) out.push(at);
      at += 8 + (g.format.lengthInBytes ? len : len * 4);
    }
    if (at === bytes.length) return out;
  }
  return [];
}

function gcovJson(
  gcov: string,
  gcno: Uint8Array,
  gcda: Uint8Array,
): { files: GcovJsonFile[]; stderr: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-unknown-'));
  try {
    writeFileSync(join(tmp, 'control.gcno'), gcno);
    writeFileSync(join(tmp, 'control.gcda'), gcda);
    const p = spawnSync(gcov, ['--json-format', '--stdout', '--branch-probabilities', 'control.gcda'], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (p.error) throw p.error;
    return { files: (JSON.parse(p.stdout) as { files: GcovJsonFile[] }).files, stderr: p.stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('a .gcno record of unknown tag inside a function, as gcov reads it', () => {
  for (const config of listFixtures()) {
    it(config, () => {
      const dir = join(fixturesRoot(), config);
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
      const gcno = new Uint8Array(readFileSync(join(dir, 'gcno/control.gcno')));
      const gcda = new Uint8Array(readFileSync(join(dir, 'ref', meta.buildDir, 'obj/control.gcda')));
      const tags = arcsTags(gcno);
      expect(tags.length).toBeGreaterThan(8);
      const damaged = gcno.slice();
      const le = readGcno(gcno, 'control.gcno').little;
      // the tag's top byte (0x01 of 0x01430000) becomes 0xc0: a tag no release knows
      damaged[tags[Math.floor(tags.length / 2)]! + (le ? 3 : 0)] = 0xc0;
      const ref = gcovJson(meta.gcov, damaged, gcda);
      expect(ref.stderr).toMatch(/no lines for/);
      const cov = computeCoverage(readGcno(damaged, 'control.gcno'), readGcda(gcda, 'control.gcda'));
      const demangled = new Map<string, string>();
      for (const f of ref.files) for (const fn of f.functions) demangled.set(fn.name, fn.demangled_name);
      expect(gcovJsonFiles(cov, { demangle: (n) => demangled.get(n) ?? n })).toEqual(ref.files);
    });
  }
});
