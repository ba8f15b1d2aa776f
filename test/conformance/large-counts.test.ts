/**
 * Counts and line numbers of a million and more, per GCC release: gcov 9 printed every
 * JSON number with C's %g (1234567 → 1.23457e+06), later releases exactly; lcov 1.16's
 * geninfo reads that JSON (so its DA/BRDA/FNDA carry the rounding), gcovr 5.2 reads
 * gcov's text (exact). A small program with loops run 1,234,567, 99,999,999 and 1,234,565
 * times (a tie for 6 digits) is built by each GCC at -O0, with its last loop at line
 * 1,234,565 and after; everything expected is printed by gcov, lcov and gcovr in the run.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coberturaXml } from '../../src/model/cobertura';
import { gcovJsonLine } from '../../src/model/gcov-json-text';
import { streamGcovJson } from '../../src/model/gcov-json-stream';
import { lcovCaptureTracefile, lcovTracefile } from '../../src/model/lcov';
import { buildReport, type DataInput, type NotesInput } from '../../src/model/report';
import { lcovRecords, run } from '../helpers/lcov';

const debian = process.env.DEBIAN_GCC_PREFIX ?? '/opt/debian-gcc';
const TOOLS = [9, 10, 11, 12].map((major) =>
  major >= 11
    ? { major, gcc: `gcc-${major}`, gcov: `gcov-${major}` }
    : { major, gcc: `${debian}/${major}/bin/gcc-${major}`, gcov: `${debian}/${major}/bin/gcov-${major}` },
);

/** The last loop starts at this line (real blank lines above it, so gcovr sees it too). */
const LAST_LOOP_LINE = 1234565;
const head = [
  '#include <stdio.h>',
  'static volatile unsigned long sink;',
  'static void tick(unsigned long i) { sink += i; }',
  'int main(void)',
  '{',
  '  unsigned long i;',
  '  for (i = 0; i < 1234567; i++)',
  '    tick(i);',
  '  for (i = 0; i < 99999999; i++)',
  '    sink ^= i;',
];
const SOURCE =
  head.join('\n') +
  '\n'.repeat(LAST_LOOP_LINE - head.length) +
  [
    '  for (i = 0; i < 1234565; i++)',
    '    sink += 3;',
    '  printf("%lu\\n", sink);',
    '  return 0;',
    '}',
    '',
  ].join('\n');

/**
 * Key order aside (gcov prints its hash order), the values; gcc_version is gcov's own
 * release (e.g. "10.2.1 20210110"), which the notes do not record beyond major.minor.
 */
const canon = (x: unknown): string =>
  JSON.stringify(x, (k, v: unknown) =>
    k === 'gcc_version'
      ? undefined
      : v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );

/**
 * The document with every number kept as the text it was printed as (names here hold no
 * digits after `:`, `,` or `[`, so numbers are the only tokens matched).
 */
const rawNumbers = (text: string): unknown =>
  JSON.parse(text.replace(/([:,[]\s*)(-?\d[\d.eE+-]*)/g, '$1"#$2"'));

/** FNDA lines sorted within each record: lcov prints them in Perl hash order. */
const records = (tracefile: string) =>
  lcovRecords(tracefile).map((r) => {
    const fnda = r.filter((l) => l.startsWith('FNDA:')).sort();
    let i = 0;
    return r.map((l) => (l.startsWith('FNDA:') ? fnda[i++]! : l));
  });

const lineHits = (xml: string) =>
  [...xml.matchAll(/<line number="(\d+)" hits="(\d+)"/g)].map((m) => m.slice(1));

describe('counts of a million and more: gcov JSON, lcov and gcovr per GCC', () => {
  const root = mkdtempSync(join(tmpdir(), 'hvcov-large-'));
  for (const t of TOOLS) {
    it(`gcc-${t.major}`, () => {
      const dir = join(root, `gcc${t.major}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'big.c'), SOURCE);
      run(t.gcc, ['--coverage', '-O0', 'big.c', '-o', 'big'], dir);
      run('./big', [], dir);
      const gcovText = run(t.gcov, ['--json-format', '--stdout', '--branch-probabilities', 'big.gcda'], dir);

      const notes = (): NotesInput[] => [
        { name: 'big.gcno', bytes: new Uint8Array(readFileSync(join(dir, 'big.gcno'))) },
      ];
      const data = (): DataInput[] => [
        { name: 'big.gcda', bytes: new Uint8Array(readFileSync(join(dir, 'big.gcda'))) },
      ];
      const report = buildReport(notes(), data(), { sourceRoot: dir });
      expect(report.problems.map((p) => p.message)).toEqual([]);
      const objectText = gcovJsonLine(report.objects[0]!);
      const chunks: Buffer[] = [];
      const streamed = streamGcovJson(notes(), data(), { sourceRoot: dir }, (b) =>
        chunks.push(Buffer.from(b)),
      );
      expect(streamed.problems.map((p) => p.message)).toEqual([]);
      const streamText = Buffer.concat(chunks).toString('utf8');

      // gcov's values, and the text of every number, on both of our paths
      for (const ours of [objectText, streamText]) {
        expect(canon(JSON.parse(ours))).toEqual(canon(JSON.parse(gcovText)));
        expect(canon(rawNumbers(ours))).toEqual(canon(rawNumbers(gcovText)));
      }
      // gcov 9 rounds (its text has exponents), the others print the counts as they are
      const exact = report.files[0]!.lines.map((l) => l.count);
      const printed = (
        JSON.parse(gcovText) as { files: { lines: { count: number }[] }[] }
      ).files[0]!.lines.map((l) => l.count);
      if (t.major === 9) {
        expect(gcovText).toMatch(/"count": \d\.\d+e\+0\d/);
        expect(printed.filter((c) => !exact.includes(c)).length).toBeGreaterThan(0);
      } else {
        expect(gcovText).not.toMatch(/e\+/);
        expect(printed).toEqual(expect.arrayContaining(exact));
      }

      // lcov 1.16 (geninfo over gcov's JSON): the capture and the merged tracefile
      const rc = ['--rc', 'lcov_branch_coverage=1'];
      run(
        'lcov',
        ['--capture', ...rc, '--gcov-tool', t.gcov, '-d', dir, '-b', dir, '-o', 'ref.info', '-q'],
        dir,
      );
      run('lcov', [...rc, '-a', 'ref.info', '-o', 'merged.info', '-q'], dir);
      expect(records(lcovCaptureTracefile(report))).toEqual(
        records(readFileSync(join(dir, 'ref.info'), 'utf8')),
      );
      expect(records(lcovTracefile(report))).toEqual(records(readFileSync(join(dir, 'merged.info'), 'utf8')));

      // gcovr 5.2 reads gcov's text output: exact counts, as our Cobertura
      run('gcovr', ['--gcov-executable', t.gcov, '-r', '.', '--xml', '-o', 'gcovr.xml'], dir);
      const gcovr = readFileSync(join(dir, 'gcovr.xml'), 'utf8');
      const ours = coberturaXml(report, { root: dir, source: (p) => readFileSync(p, 'utf8') });
      expect(lineHits(gcovr).length).toBeGreaterThan(8);
      expect(lineHits(ours)).toEqual(lineHits(gcovr));
    });
  }
});
