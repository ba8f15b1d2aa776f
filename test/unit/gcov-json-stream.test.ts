/**
 * The gcov JSON written as text object by object (hvcov report --gcov-json alone) is the
 * same text, byte for byte, as the documents of the report model stringified whole
 * (gcovJsonLines: numbers as the notes' gcov prints them).
 */
import { describe, expect, it } from 'vitest';
import { streamGcovJson } from '../../src/model/gcov-json-stream';
import { gcovJsonLines } from '../../src/model/gcov-json-text';
import { buildReport, type DataInput, type NotesInput } from '../../src/model/report';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

describe.each(listFixtures())('%s', (config) => {
  it('streams the same gcov JSON lines as the report model', () => {
    const fx = loadFixture(config);
    const gcnoDir = join(fx.dir, 'gcno');
    const notes: NotesInput[] = walkFiles(gcnoDir)
      .filter((f) => f.endsWith('.gcno'))
      .map((f) => ({ name: relative(gcnoDir, f), bytes: new Uint8Array(readFileSync(f)) }));
    const data: DataInput[] = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
    const report = buildReport(notes, data);
    const pieces: string[] = [];
    const text = new TextDecoder();
    const r = streamGcovJson(notes, data, {}, (b) => pieces.push(text.decode(b)));
    expect(pieces.join('')).toBe(gcovJsonLines(report));
    expect(r.objects).toBe(report.objects.length);
    expect(r.sourceFiles).toBe(report.files.length);
    expect(r.problems.map((p) => p.message)).toEqual(report.problems.map((p) => p.message));
    expect(r.matched).toBe(report.objects.filter((o) => o.data !== undefined).length);
  });
});
