/**
 * The report model keeps each object's gcov JSON packed and, given files it can read again,
 * lets their bytes and parsed notes go: neither changes what any output says.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { coberturaXml } from '../../src/model/cobertura';
import { gcovJsonFiles, textBranchNumbers, type GcovJsonFile } from '../../src/model/gcov-json';
import { gcovJsonLines } from '../../src/model/gcov-json-text';
import { lcovCaptureTracefile, lcovTracefile } from '../../src/model/lcov';
import {
  buildReport,
  gcovJsonOptions,
  objectData,
  readAndPair,
  type DataInput,
  type NotesInput,
  type Report,
} from '../../src/model/report';
import { newPrimePathPool } from '../../src/gcov/prime-paths';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

/** The fixture's notes as files that can be read again, counting the readings. */
function inputs(config: string, reload?: (f: string, i: number) => Uint8Array) {
  const fx = loadFixture(config);
  const gcnoDir = join(fx.dir, 'gcno');
  const reads: string[] = [];
  const notes: NotesInput[] = walkFiles(gcnoDir)
    .filter((f) => f.endsWith('.gcno'))
    .map((f, i) => ({
      name: relative(gcnoDir, f),
      bytes: new Uint8Array(readFileSync(f)),
      reload: () => {
        reads.push(relative(gcnoDir, f));
        return reload ? reload(f, i) : new Uint8Array(readFileSync(f));
      },
    }));
  const data: DataInput[] = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
  return { fx, notes, data, reads };
}

/** Every output of the model that reads the per-object documents, and the merged files. */
function outputs(report: Report, src: string) {
  const source = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    json: gcovJsonLines(report),
    lcov: lcovTracefile(report, { mcdc: true }),
    capture: lcovCaptureTracefile(report),
    cobertura: coberturaXml(report, { root: src, source, timestamp: 0 }),
    files: JSON.stringify(report.files),
    problems: report.problems.map((p) => p.message),
  };
}

describe.each(listFixtures())('%s', (config) => {
  it('writes the same outputs when the notes are let go after pairing and read again', () => {
    const kept = inputs(config);
    const src = join(kept.fx.dir, 'src');
    const whole = outputs(buildReport(kept.notes, kept.data), src);
    expect(kept.reads).toEqual([]);
    const again = inputs(config);
    const streamed = outputs(buildReport(again.notes, again.data, {}, { keepBytes: 0 }), src);
    expect(again.reads.length).toBe(again.notes.length);
    // every input's bytes let go once read
    expect(again.notes.every((n) => n.bytes.length === 0)).toBe(true);
    expect(again.data.every((d) => d.bytes.length === 0)).toBe(true);
    expect(streamed).toEqual(whole);
  });

  it('gives back each object document as computed, with the branch numbers of gcov text', () => {
    const { notes, data } = inputs(config);
    const report = buildReport(notes, data);
    const problems: InputError[] = [];
    const { readNotes, pairs, damaged } = readAndPair(notes, data, problems);
    const pool = newPrimePathPool();
    const fresh: GcovJsonFile[][] = readNotes.map((n) => {
      const d = pairs.get(n)?.input ?? damaged.get(n);
      const o = objectData(n, d, {});
      return gcovJsonFiles(o.coverage, gcovJsonOptions(n.gcno, {}, problems, pool));
    });
    expect(report.objects.length).toBe(fresh.length);
    let shifted = 0;
    report.objects.forEach((o, i) => {
      const files = o.json.files;
      expect(files).toStrictEqual(fresh[i]);
      expect(JSON.stringify(files)).toBe(JSON.stringify(fresh[i]));
      files.forEach((f, j) =>
        f.lines.forEach((l, k) => {
          const want = textBranchNumbers(fresh[i]![j]!.lines[k]!);
          expect(textBranchNumbers(l)).toEqual(want);
          if (want.some((x, m) => x !== m)) shifted++;
        }),
      );
    });
    // the fixtures with C++ have branches numbered after a call on their line
    if (loadFixture(config).meta.cxx) expect(shifted).toBeGreaterThan(0);
  });
});

describe('a .gcno that changes between pairing and the report', () => {
  const config = listFixtures()[0]!;
  const first = inputs(config);
  const whole = buildReport(first.notes, first.data);

  it('leaves out only that object, with a problem naming the file', () => {
    // the second .gcno is now the first one's bytes: another stamp
    const { notes, data } = inputs(
      config,
      (f, i) =>
        new Uint8Array(
          readFileSync(i === 1 ? join(loadFixture(config).dir, 'gcno', first.notes[0]!.name) : f),
        ),
    );
    const report = buildReport(notes, data, {}, { keepBytes: 0 });
    expect(report.objects.map((o) => o.notes)).toEqual(
      whole.objects.filter((_, i) => i !== 1).map((o) => o.notes),
    );
    expect(report.problems.map((p) => p.message)).toContain(
      `${notes[1]!.name} at 0x8: changed while the report was made (another stamp or checksum): left out`,
    );
  });

  it('that cannot be read again is a problem, and the rest is reported', () => {
    const { notes, data } = inputs(config, (f, i) => {
      if (i === 0) throw new InputError(f, undefined, 'not-found', 'cannot be read: gone');
      return new Uint8Array(readFileSync(f));
    });
    const report = buildReport(notes, data, {}, { keepBytes: 0 });
    expect(report.objects.map((o) => o.notes)).toEqual(whole.objects.slice(1).map((o) => o.notes));
    expect(report.problems[0]!.message).toMatch(/: cannot be read: gone$/);
  });
});
