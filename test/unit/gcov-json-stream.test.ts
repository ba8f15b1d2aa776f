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
import { firstGone, notesOnDisk, secondIsFirst } from '../helpers/notes-on-disk';
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

const streamed = (notes: NotesInput[], data: DataInput[], keepBytes?: number) => {
  const pieces: string[] = [];
  const text = new TextDecoder();
  const r = streamGcovJson(notes, data, {}, (b) => pieces.push(text.decode(b)), keepBytes);
  return { text: pieces.join(''), ...r };
};

describe.each(listFixtures())('%s, notes let go after pairing', (config) => {
  it('reads every .gcno again and writes the same lines when none is kept parsed', () => {
    const kept = notesOnDisk(config);
    const all = streamed(kept.notes, kept.data);
    expect(kept.reads).toEqual([]);
    const again = notesOnDisk(config);
    const none = streamed(again.notes, again.data, 0);
    expect(again.reads.length).toBe(again.notes.length);
    expect(none.text).toBe(all.text);
    expect(none.problems.map((p) => p.message)).toEqual(all.problems.map((p) => p.message));
    expect(none.sourceFiles).toBe(all.sourceFiles);
  });
});

describe('notes that change between pairing and writing', () => {
  const config = listFixtures()[0]!;
  const first = notesOnDisk(config);
  const full = streamed(first.notes, first.data);
  const lines = full.text.split('\n').filter((l) => l !== '');

  it('leave out only that object, with a problem naming the file', () => {
    // the second .gcno is now the first one's bytes: another stamp
    const { notes, data } = notesOnDisk(config, secondIsFirst(config, first.notes[0]!.name));
    const r = streamed(notes, data, 0);
    const out = r.text.split('\n').filter((l) => l !== '');
    expect(out).toEqual(lines.filter((_, i) => i !== 1));
    expect(r.problems.map((p) => p.message)).toContain(
      `${notes[1]!.name} at 0x8: changed while the report was made (another stamp or checksum): left out`,
    );
  });

  it('that cannot be read again are a problem, and the rest is written', () => {
    const { notes, data } = notesOnDisk(config, firstGone);
    const r = streamed(notes, data, 0);
    expect(r.text.split('\n').filter((l) => l !== '')).toEqual(lines.slice(1));
    expect(r.problems[0]!.message).toMatch(/: cannot be read: gone$/);
  });
});
