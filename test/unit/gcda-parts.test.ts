/**
 * writeGcdaParts (what `hvcov extract --out` writes with writev) gives the same bytes as
 * writeGcda, whether counter runs are referenced in the image or copied.
 */
import { describe, expect, it } from 'vitest';
import { extractImage } from '../../src/gcov/extract';
import { programSummary, sizeBound, writeGcda, writeGcdaParts, VIEW_MIN } from '../../src/gcov/gcda-writer';
import { listFixtures, loadFixture } from '../helpers/fixtures';

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe.each(listFixtures())('%s', (config) => {
  const fx = loadFixture(config);

  it.each([0, 8, 64, VIEW_MIN])('pieces with views from %i bytes join to the file', (viewMin) => {
    const r = extractImage(fx.image, 'image.bin');
    const mem = r.detection.memory;
    const prog = programSummary(r.records, mem);
    let views = 0;
    for (const rec of r.records) {
      const parts = writeGcdaParts(rec, mem, prog, new Uint8Array(sizeBound(rec)), viewMin);
      views += parts.filter((p) => p.buffer === mem.bytes.buffer).length;
      expect(concat(parts)).toEqual(writeGcda(rec, mem, prog));
    }
    if (viewMin === 0 && mem.target.little) expect(views).toBeGreaterThan(0);
    if (!mem.target.little) expect(views).toBe(0);
  });

  it.each([8, VIEW_MIN])(
    'the arena holds the file in place, holes where views from %i bytes go (what the self-check reads)',
    (viewMin) => {
      const r = extractImage(fx.image, 'image.bin');
      const mem = r.detection.memory;
      const prog = programSummary(r.records, mem);
      for (const rec of r.records) {
        const arena = new Uint8Array(sizeBound(rec));
        const parts = writeGcdaParts(rec, mem, prog, arena, viewMin);
        const file = concat(parts);
        const filled = arena.slice(0, file.length);
        let at = 0;
        for (const p of parts) {
          if (p.buffer === mem.bytes.buffer)
            filled.set(p, at); // a hole: the view's bytes go there
          else expect(p.byteOffset - arena.byteOffset).toBe(at);
          at += p.length;
        }
        expect(filled).toEqual(file);
      }
    },
  );

  it('extractImage with parts: true gives the same files', () => {
    const whole = extractImage(fx.image, 'image.bin').files;
    const pieces: Uint8Array[] = [];
    extractImage(fx.image, 'image.bin', {}, (f) => pieces.push(concat(f.parts ?? [f.bytes])), {
      keepFiles: false,
      parts: true,
    });
    expect(pieces).toEqual(whole.map((f) => f.bytes));
  });
});
