/**
 * Untrusted names and text never become markup: a real program (gcc --coverage, run here)
 * whose paths, #line names, comments, strings and C++ names carry HTML and script goes
 * through the session as the app's worker drives it, and the static report it writes has
 * only the writer's own elements and attributes, with every payload as escaped text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/model/session';
import { escapeHtml, staticReportHtml } from '../../src/model/static-report';
import { matchSource } from '../../src/ui/report-view';
import { buildHostile, PAYLOADS, SOURCE_MARKERS } from '../helpers/hostile';

const work = mkdtempSync(join(tmpdir(), 'hvcov-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const build = buildHostile(work);

/** The elements and attributes staticReportHtml itself writes. */
const TAGS = new Set(
  'html head meta title style body h1 h2 dl dt dd table thead tbody tr th td code p a section ul li'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'lang charset http-equiv content name class id href scope aria-label data-testid data-kind data-cell data-file'.split(
    ' ',
  ),
);

/** Every start tag with its attribute names, read without a DOM: text has no raw '<'. */
function elements(html: string): { tag: string; attrs: string[] }[] {
  const out: { tag: string; attrs: string[] }[] = [];
  for (const m of html.matchAll(/<(?!!DOCTYPE)([^\s/>]+)([^>]*)>/g)) {
    const rest = m[2]!;
    const attrs = [...rest.matchAll(/\s+([^\s=]+)="[^"<>]*"/g)].map((a) => a[1]!);
    // nothing but well-formed name="value" pairs: an unquoted or broken attribute is a leak
    expect(rest.replace(/\s+[^\s=]+="[^"<>]*"/g, '').trim(), m[0]).toBe('');
    out.push({ tag: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

async function staticReport(): Promise<string> {
  const session = new Session();
  const summary = await session.add(
    build.files.map((f) => ({ path: `root/${f.path}`, bytes: f.bytes.slice() })),
  );
  expect(summary.report).toBe(true);
  const built = session.report()!;
  const sources = session.sources();
  return staticReportHtml(built.report, {
    version: '0.0.0',
    generated: '2020-01-01T00:00:00.000Z',
    inputs: await session.inputs(),
    source: (path) => {
      const match = matchSource(
        path,
        sources.map((s) => s.path),
      );
      const s = sources.find((x) => x.path === match);
      return s ? { path: s.path, text: new TextDecoder().decode(s.bytes) } : undefined;
    },
  });
}

describe('a program whose names and text carry HTML and script', () => {
  it('gives a static report with only the writer’s own markup', async () => {
    const html = await staticReport();
    const els = elements(html);
    expect(els.length).toBeGreaterThan(100);
    for (const e of els) {
      expect(TAGS.has(e.tag), e.tag).toBe(true);
      for (const a of e.attrs) expect(ATTRIBUTES.has(a.toLowerCase()), `${e.tag} ${a}`).toBe(true);
    }
    expect(html).not.toMatch(/<(script|img|svg|textarea|b)[\s>/]/i);
    // the one script-ish URL scheme only ever appears as text, never in an href
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#[a-z0-9-]+$/);
  });

  it('shows every name and every planted text, escaped', async () => {
    const html = await staticReport();
    for (const name of [
      PAYLOADS.cFile,
      PAYLOADS.subdir,
      PAYLOADS.object,
      PAYLOADS.lineFile,
      PAYLOADS.cppFile,
    ])
      expect(html, name).toContain(escapeHtml(name));
    expect(html).toContain(escapeHtml(PAYLOADS.dir));
    for (const m of SOURCE_MARKERS) expect(html, m).toContain(escapeHtml(m));
    // C++ names with angle brackets, demangled
    expect(build.angled.length).toBeGreaterThan(0);
    for (const n of build.angled) expect(html, n).toContain(`<code>${escapeHtml(n)}</code>`);
  });
});
