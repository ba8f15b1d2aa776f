/**
 * The CI Markdown summary on a committed fixture's report: totals as the model counts
 * them, the files below the threshold, changes against a baseline package made from fewer
 * runs' data, and no markup or table break from a path.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { evidencePackage, manifestNumbers, type ManifestFile } from '../../src/model/evidence';
import { DEFAULT_THRESHOLD, markdownSummary, readBaseline, type Numbers } from '../../src/model/markdown';
import { buildReport, type Report } from '../../src/model/report';
import { percent } from '../../src/model/summary';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const gcnoDir = join(fx.dir, 'gcno');
const notes = walkFiles(gcnoDir).map((f) => ({
  name: relative(gcnoDir, f),
  bytes: new Uint8Array(readFileSync(f)),
}));
const data = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
const report = buildReport(notes, data);
// the baseline: the same build with only some objects' data
const fewer = buildReport(notes, data.slice(0, Math.ceil(data.length / 2)));

const numbersOf = (r: Report): Numbers => ({
  totals: manifestNumbers(r.totals),
  files: r.files.map((f) => ({ path: f.path, ...manifestNumbers(f.totals) })),
});
const KINDS = [
  ['lines', 'Lines'],
  ['functions', 'Functions'],
  ['branches', 'Branches'],
  ['conditions', 'Conditions'],
] as const;
const below = (r: Report, p: number) =>
  r.files.filter((f) => f.totals.lines.found > 0 && f.totals.lines.hit * 100 < p * f.totals.lines.found);
const baseName = (p: string) => p.split('/').at(-1)!;

describe('markdown summary', () => {
  it('shows the model’s totals and the files below the threshold', () => {
    const md = markdownSummary(numbersOf(report));
    for (const [k, name] of KINDS) {
      const c = report.totals[k];
      expect(md).toContain(`| ${name} | ${c.hit}/${c.found} | ${percent(c)} |`);
    }
    const low = below(report, DEFAULT_THRESHOLD);
    expect(low.length).toBeGreaterThan(0);
    expect(md).toContain(`### ${low.length} of ${report.files.length} files below ${DEFAULT_THRESHOLD} %`);
    for (const f of low)
      expect(md).toMatch(new RegExp(`^\\| \\S*${baseName(f.path).replace('.', '\\.')} \\|`, 'm'));
    const rows = md.split('\n').filter((l) => /^\| [^ |]+\.[ch] \|/.test(l));
    expect(rows.length).toBe(low.length);

    const all = markdownSummary(numbersOf(report), { threshold: 100 });
    expect(all).toContain(`### ${below(report, 100).length} of`);
    expect(markdownSummary(numbersOf(report), { threshold: 0 })).toContain(
      'No file has line coverage below 0 %.',
    );
  });

  it('shows the change against a baseline manifest', async () => {
    const base = await evidencePackage({
      report: fewer,
      tool: { name: 'hvcov', version: 't' },
      now: 0,
      notes,
      data: data.slice(0, Math.ceil(data.length / 2)),
      source: () => undefined,
    });
    const manifestText = strFromU8(unzipSync(base.zip)['manifest.json']!);
    const baseline = readBaseline(manifestText, 'manifest.json');
    expect(baseline).toEqual(numbersOf(fewer));
    const md = markdownSummary(numbersOf(report), { baseline });
    expect(md).toContain('| | Hit/Total | Coverage | Change |');
    for (const [k, name] of KINDS) {
      const a = report.totals[k];
      const b = fewer.totals[k];
      if (a.found === 0 || b.found === 0) {
        expect(md).toContain(`| ${name} | ${a.hit}/${a.found} | ${percent(a)} | - |`);
        continue;
      }
      const d = Math.round(((a.hit * 100) / a.found - (b.hit * 100) / b.found) * 10) / 10;
      expect(d, k).not.toBe(0);
      const text = `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;
      expect(md).toContain(`| ${name} | ${a.hit}/${a.found} | ${percent(a)} | ${text} |`);
    }
    // against itself: no change anywhere
    const same = markdownSummary(numbersOf(report), { baseline: numbersOf(report), threshold: 100 });
    expect(same.match(/±0\.0/g)?.length).toBe(
      KINDS.filter(([k]) => report.totals[k].found > 0).length + below(report, 100).length,
    );
  });

  it('lets no path break the table or become markup', () => {
    const n = numbersOf(report);
    const f = n.files[0]!;
    const evil: ManifestFile = { ...f, path: `${f.path.replace(/[^/]+$/, '')}a|b\`<img src=x>*_[x](y).c` };
    const md = markdownSummary({ ...n, files: [evil] }, { threshold: 101 });
    const row = md.split('\n').find((l) => l.includes('img'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(5);
    expect(row).not.toMatch(/(?<!\\)[<`*_[]/);
  });

  it('refuses a baseline that is not an evidence manifest', () => {
    expect(() => readBaseline('SF:x\nend_of_record\n', 'x.info')).toThrow(InputError);
    expect(() => readBaseline('{"totals":{}}', 'x.json')).toThrow(/not an hvcov evidence manifest/);
    expect(() => readBaseline('{"format":"hvcov-evidence/1"}', 'x.json')).toThrow(/no totals/);
  });
});
