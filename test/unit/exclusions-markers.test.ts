/**
 * How each tool's reading of the markers differs, on sources built here (the lines each
 * reading must take follow from where the test puts the markers). That the readings equal
 * lcov 1.16 and gcovr 5.2 is proven on a real build in test/conformance/exclusions.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allMarkers,
  gcovrMarkers,
  lcovMarkers,
  sourceLines,
  type MarkerScan,
} from '../../src/model/exclusions';

const lines = (s: MarkerScan, scope: 'line' | 'branch') =>
  [...s.lines].filter(([, es]) => es.some((e) => e.scope === scope)).map(([n]) => n);
const numbered = (src: string[], word: string) => src.flatMap((t, i) => (t.includes(word) ? [i + 1] : []));

describe('exclusion markers', () => {
  const src = ['a;', 'b; // LCOV_EXCL_START', 'c;', 'd; // LCOV_EXCL_STOP', 'e; // LCOV_EXCL_LINE', 'f;'];
  const [start, stop] = [numbered(src, 'START')[0]!, numbered(src, 'STOP')[0]!];

  it('a region runs from its START line to the line before STOP, in both tools', () => {
    const region = Array.from({ length: stop - start }, (_, i) => start + i);
    const want = [...region, ...numbered(src, 'EXCL_LINE')];
    expect(lines(lcovMarkers(src.join('\n')), 'line')).toEqual(want);
    expect(lines(gcovrMarkers(src.join('\n')), 'line')).toEqual(want);
  });

  it('an unterminated START: lcov to the end of the file, gcovr nothing (a LINE inside it neither)', () => {
    const open = src.filter((t) => !t.includes('STOP'));
    const lcov = lcovMarkers(open.join('\n'));
    expect(lines(lcov, 'line')).toEqual(Array.from({ length: open.length - start + 1 }, (_, i) => start + i));
    expect(lcov.warnings.length).toBe(1);
    const gcovr = gcovrMarkers(open.join('\n'));
    expect(lines(gcovr, 'line')).toEqual([]);
    expect(gcovr.warnings.length).toBe(2);
  });

  it("GCOVR_ markers are gcovr's only; exception-branch markers lcov's only", () => {
    const g = [
      'x; // GCOVR_EXCL_LINE',
      'if (y) // GCOVR_EXCL_BR_LINE',
      'if (z) // LCOV_EXCL_EXCEPTION_BR_LINE',
    ];
    const text = g.join('\n');
    expect(lines(lcovMarkers(text), 'line')).toEqual([]);
    expect(lines(lcovMarkers(text), 'branch')).toEqual(numbered(g, 'EXCEPTION'));
    expect(lines(gcovrMarkers(text), 'line')).toEqual(numbered(g, 'GCOVR_EXCL_LINE'));
    expect(lines(gcovrMarkers(text), 'branch')).toEqual(numbered(g, 'GCOVR_EXCL_BR_LINE'));
    const all = allMarkers(text);
    expect([...all.lines.keys()].sort()).toEqual([1, 2, 3]);
  });

  it('the text after a marker is its reason', () => {
    const s = lcovMarkers('return 1; /* LCOV_EXCL_LINE: framing error, hardware fault path */');
    expect(s.lines.get(1)![0]!.reason).toBe('framing error, hardware fault path');
    expect(lcovMarkers('x; // LCOV_EXCL_LINE').lines.get(1)![0]!.reason).toMatch(/^LCOV_EXCL_LINE/);
  });

  it('the fixture has markers of every kind', () => {
    const text = readFileSync(join(process.cwd(), 'test/fixtures/exclusions/uart.c'), 'utf8');
    const all = allMarkers(text);
    const words = new Set([...all.lines.values()].flat().map((e) => e.marker));
    for (const w of [
      'LCOV_EXCL_LINE',
      'LCOV_EXCL_START',
      'LCOV_EXCL_BR_LINE',
      'LCOV_EXCL_BR_START',
      'LCOV_EXCL_EXCEPTION_BR_LINE',
      'GCOVR_EXCL_LINE',
      'GCOVR_EXCL_START',
      'GCOVR_EXCL_BR_LINE',
      'GCOVR_EXCL_BR_START',
    ])
      expect(words).toContain(w);
    expect(all.warnings).toEqual([]);
    expect(sourceLines('a\r\nb\n')).toEqual(['a', 'b']);
  });
});
