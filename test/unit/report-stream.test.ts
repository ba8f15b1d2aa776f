/**
 * The report model keeps each object's gcov JSON packed and, given files it can read again,
 * lets their bytes and parsed notes go: neither changes what any output says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { coberturaXml } from '../../src/model/cobertura';
import { gcovJsonFiles, textBranchNumbers, type GcovJsonFile } from '../../src/model/gcov-json';
import { gcovJsonLines } from '../../src/model/gcov-json-text';
import { lcovCaptureTracefile, lcovTracefile } from '../../src/model/lcov';
import { buildReport, gcovJsonOptions, objectData, readAndPair, type Report } from '../../src/model/report';
import { newPrimePathPool } from '../../src/gcov/prime-paths';
import { listFixtures, loadFixture } from '../helpers/fixtures';
import { firstGone, notesOnDisk, secondIsFirst } from '../helpers/notes-on-disk';

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
    const kept = notesOnDisk(config);
    const src = join(kept.fx.dir, 'src');
    const whole = outputs(buildReport(kept.notes, kept.data), src);
    expect(kept.reads).toEqual([]);
    const again = notesOnDisk(config);
    const streamed = outputs(buildReport(again.notes, again.data, {}, { keepBytes: 0 }), src);
    expect(again.reads.length).toBe(again.notes.length);
    // every input's bytes let go once read
    expect(again.notes.every((n) => n.bytes.length === 0)).toBe(true);
    expect(again.data.every((d) => d.bytes.length === 0)).toBe(true);
    expect(streamed).toEqual(whole);
  });

  it('gives back each object document as computed, with the branch numbers of gcov text', () => {
    const { notes, data } = notesOnDisk(config);
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
  const first = notesOnDisk(config);
  const whole = buildReport(first.notes, first.data);

  it('leaves out only that object, with a problem naming the file', () => {
    // the second .gcno is now the first one's bytes: another stamp
    const { notes, data } = notesOnDisk(config, secondIsFirst(config, first.notes[0]!.name));
    const report = buildReport(notes, data, {}, { keepBytes: 0 });
    expect(report.objects.map((o) => o.notes)).toEqual(
      whole.objects.filter((_, i) => i !== 1).map((o) => o.notes),
    );
    expect(report.problems.map((p) => p.message)).toContain(
      `${notes[1]!.name} at 0x8: changed while the report was made (another stamp or checksum): left out`,
    );
  });

  it('that cannot be read again is a problem, and the rest is reported', () => {
    const { notes, data } = notesOnDisk(config, firstGone);
    const report = buildReport(notes, data, {}, { keepBytes: 0 });
    expect(report.objects.map((o) => o.notes)).toEqual(whole.objects.slice(1).map((o) => o.notes));
    expect(report.problems[0]!.message).toMatch(/: cannot be read: gone$/);
  });
});
