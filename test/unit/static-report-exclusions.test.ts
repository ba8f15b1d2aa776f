/**
 * Exclusions in the static HTML report: markers written into a committed fixture's real
 * sources are applied by the model (whose exclusion totals are conformance-checked against
 * lcov and gcovr in test/conformance/exclusions.test.ts), and the report shows what the
 * model gives: the totals with and without exclusions (report and file), every excluded
 * line with its reason, excluded code that ran, all as escaped text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyExclusions } from '../../src/model/apply-exclusions';
import { exclusionText } from '../../src/model/exclusion-summary';
import { buildReport, type Totals } from '../../src/model/report';
import { escapeHtml, staticReportHtml } from '../../src/model/static-report';
import { fixturesRoot, walkFiles, type FixtureMeta } from '../helpers/fixtures';

const config = 'gcc12-x86_64-O0';
const dir = join(fixturesRoot(), config);
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
const gcnoDir = join(dir, 'gcno');
const objDir = join(dir, 'ref', meta.buildDir, 'obj');
const notes = walkFiles(gcnoDir).map((f) => ({
  name: `gcno/${relative(gcnoDir, f)}`,
  bytes: new Uint8Array(readFileSync(f)),
}));
const data = walkFiles(objDir)
  .filter((f) => f.endsWith('.gcda'))
  .map((f) => ({ name: `gcno/${relative(objDir, f)}`, bytes: new Uint8Array(readFileSync(f)) }));

const EVIL = `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>`;
const TAGS = new Set(
  'html head meta title style body h1 h2 dl dt dd table thead tbody tr th td code p a section ul li'.split(
    ' ',
  ),
);
const KINDS = ['lines', 'functions', 'branches', 'conditions'] as const;

/** The fixture's source for a report path (the part after the build's src/). */
function fixtureSource(path: string): string | undefined {
  const at = path.indexOf('/src/');
  const file = at < 0 ? undefined : join(dir, 'src', path.slice(at + 5));
  return file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** hit/found pairs of a totals table, as the HTML has them, by kind and cell. */
function cells(html: string, testId: string, cell: string): Record<string, [number, number]> {
  const table = html.slice(html.indexOf(`data-testid="${testId}"`));
  const out: Record<string, [number, number]> = {};
  for (const k of KINDS) {
    const m = table.match(new RegExp(`<tr data-kind="${k}">.*?data-cell="${cell}">(\\d+) / (\\d+)<`));
    expect(m, `${testId} ${k} ${cell}`).not.toBeNull();
    out[k] = [Number(m![1]), Number(m![2])];
  }
  return out;
}
const pairs = (t: Totals) => Object.fromEntries(KINDS.map((k) => [k, [t[k].hit, t[k].found]]));

describe('static report with exclusions', () => {
  const report = buildReport(notes, data);
  // one executed line and one never executed line of the first file with both, marked in its source
  const file = report.files.find(
    (f) => fixtureSource(f.path) && f.lines.some((l) => l.count > 0) && f.lines.some((l) => l.count === 0),
  )!;
  const ran = file.lines.find((l) => l.count > 0)!.lineNumber;
  const never = file.lines.find((l) => l.count === 0)!.lineNumber;
  const sources = new Map<string, string>();
  for (const f of report.files) {
    const text = fixtureSource(f.path);
    if (text === undefined) continue;
    if (f !== file) {
      sources.set(f.path, text);
      continue;
    }
    const lines = text.split('\n');
    lines[ran - 1] += ` /* LCOV_EXCL_LINE ${EVIL} */`;
    lines[never - 1] += ' /* LCOV_EXCL_LINE defensive: unreachable on this target */';
    sources.set(f.path, lines.join('\n'));
  }
  applyExclusions(report, { source: (p) => sources.get(p) });
  const html = staticReportHtml(report, {
    version: '1.2.3',
    generated: '2020-01-02T03:04:05.000Z',
    inputs: [],
    source: (p) => {
      const text = sources.get(p);
      return text === undefined ? undefined : { path: p, text };
    },
  });
  const index = report.files.indexOf(file);

  it('shows the totals with and without exclusions, as the model counts them', () => {
    expect(report.afterExclusions).toBeDefined();
    expect(report.afterExclusions!.lines.found).toBeLessThan(report.totals.lines.found);
    expect(cells(html, 'exclusion-totals', 'all')).toEqual(pairs(report.totals));
    expect(cells(html, 'exclusion-totals', 'after')).toEqual(pairs(report.afterExclusions!));
    const section = html.slice(html.indexOf(`<section id="f${index}"`));
    expect(cells(section, 'file-exclusion-totals', 'all')).toEqual(pairs(file.totals));
    expect(cells(section, 'file-exclusion-totals', 'after')).toEqual(pairs(file.afterExclusions!));
    // only the file with markers has a table of its own
    expect(html.match(/data-testid="file-exclusion-totals"/g)).toHaveLength(1);
  });

  it('marks every excluded line with its reason, and lists the excluded code that ran', () => {
    expect([...file.excluded!.keys()].sort((a, b) => a - b)).toEqual([ran, never].sort((a, b) => a - b));
    for (const [n, es] of file.excluded!) {
      const row = html.match(new RegExp(`<tr id="f${index}-l${n}" class="[^"]*\\bexcluded\\b[^"]*">.*</tr>`));
      expect(row, `line ${n}`).not.toBeNull();
      const e = es.find((x) => x.scope === 'line')!;
      expect(row![0]).toContain(`data-cell="excluded">excluded: ${escapeHtml(exclusionText(e))}`);
      expect(row![0].includes('excluded but executed')).toBe(n === ran);
    }
    const executed = report.exclusions!.executed;
    expect(executed.some((e) => e.path === file.path && e.line === ran)).toBe(true);
    const list = html.slice(html.indexOf('data-testid="excluded-executed"'));
    for (const e of executed)
      expect(list).toContain(`<a href="#f${report.files.findIndex((f) => f.path === e.path)}-l${e.line}">`);
  });

  it('keeps every reason as text: only the writer’s own tags', () => {
    expect(html).toContain(escapeHtml(EVIL));
    expect(html).not.toContain(EVIL);
    for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g))
      expect(TAGS.has(m[1]!.toLowerCase()), m[1]).toBe(true);
  });

  it('adds nothing when no code is excluded', () => {
    const plain = buildReport(notes, data);
    applyExclusions(plain, { source: fixtureSource });
    const out = staticReportHtml(plain, {
      version: '1.2.3',
      generated: '2020-01-02T03:04:05.000Z',
      inputs: [],
    });
    expect(out).not.toContain('id="exclusions"');
    expect(out).not.toContain('file-exclusion-totals');
  });
});
