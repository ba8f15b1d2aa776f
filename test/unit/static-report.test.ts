/**
 * The static HTML report on a committed fixture's report: its totals, its stamp, the
 * Content-Security-Policy, and that nothing taken from the inputs (source text, file and
 * function names, input paths) can become markup.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, type Report } from '../../src/model/report';
import { Session, sha256Hex } from '../../src/model/session';
import { STATIC_REPORT_CSP, escapeHtml, staticReportHtml } from '../../src/model/static-report';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const gcnoDir = join(fx.dir, 'gcno');
const notes = walkFiles(gcnoDir).map((f) => ({
  name: `gcno/${relative(gcnoDir, f)}`,
  bytes: new Uint8Array(readFileSync(f)),
}));
const data = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
const report = buildReport(notes, data);

const EVIL = `<script>alert(1)</script>"'&</textarea><img src=x onerror=alert(2)><!--`;

/** Every tag the writer itself emits; anything else would have come from an input. */
const TAGS = new Set(
  'html head meta title style body h1 h2 dl dt dd table thead tbody tr th td code p a section ul li'.split(
    ' ',
  ),
);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

describe('static report', () => {
  it('carries the totals, the stamp and a CSP that forbids every request and script', () => {
    const html = staticReportHtml(report, {
      version: '9.8.7',
      generated: '2020-01-02T03:04:05.000Z',
      inputs: [{ path: 'image.bin', kind: 'image', size: 3, sha256: 'ab'.repeat(32) }],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(STATIC_REPORT_CSP)}">`,
    );
    expect(STATIC_REPORT_CSP).toContain("default-src 'none'");
    expect(STATIC_REPORT_CSP).not.toContain('script-src');
    for (const k of ['lines', 'functions', 'branches', 'conditions'] as const) {
      const row = html.match(
        new RegExp(
          `data-testid="report-totals">[\\s\\S]*?<tr data-kind="${k}"[^>]*>.*?data-cell="hit">(\\d+)<.*?data-cell="found">(\\d+)<`,
        ),
      );
      expect(row, k).not.toBeNull();
      expect([Number(row![1]), Number(row![2])]).toEqual([report.totals[k].hit, report.totals[k].found]);
    }
    expect(html).toContain('hvcov 9.8.7');
    expect(html).toContain(fx.meta.gcc);
    expect(html).toContain('ab'.repeat(32));
    expect(new Set(tagsOf(html)).size).toBeGreaterThan(0);
    for (const t of tagsOf(html)) expect(TAGS.has(t), t).toBe(true);
    // one section per file, with every line that has data
    expect(html.match(/<section /g)).toHaveLength(report.files.length);
  });

  it('escapes source text, file and function names and input paths', () => {
    const evil: Report = {
      ...report,
      files: report.files.map((f, i) => ({
        ...f,
        path: `/w/${EVIL}${i}.c`,
        functions: f.functions.map((fn) => ({ ...fn, name: EVIL, demangledName: EVIL })),
      })),
      objects: report.objects.map((o) => ({ ...o, notes: `${EVIL}.gcno`, image: EVIL, target: EVIL })),
    };
    delete (evil.objects[0] as { data?: string }).data;
    const html = staticReportHtml(evil, {
      version: EVIL,
      generated: EVIL,
      inputs: [{ path: EVIL, kind: EVIL, size: 1, sha256: EVIL, from: EVIL }],
      source: () => ({ path: EVIL, text: `${EVIL}\n`.repeat(400) }),
    });
    for (const t of tagsOf(html)) expect(TAGS.has(t), t).toBe(true);
    expect(html).not.toMatch(/<script|<img|<\/textarea|<!--/i);
    expect(html).toContain(escapeHtml(EVIL));
    expect(escapeHtml(EVIL)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;/textarea&gt;&lt;img src=x onerror=alert(2)&gt;&lt;!--',
    );
    // every attribute value is quoted and holds no raw quote or angle bracket
    for (const m of html.matchAll(/<[a-z0-9]+((?:\s+[a-z-]+="[^"<>]*")*)\s*>/g))
      expect(m[0]).not.toContain("'>");
    const opening = [...html.matchAll(/<([a-z][a-z0-9]*)([^>]*)>/g)];
    for (const [, , attrs] of opening) expect(attrs!.replace(/\s+[a-z-]+="[^"<>]*"/g, '').trim()).toBe('');
  });

  it('hashes every input with SHA-256, archives and their entries too', async () => {
    expect(await sha256Hex(fx.image)).toBe(createHash('sha256').update(fx.image).digest('hex'));
    const s = new Session();
    await s.add([
      { path: 'image.bin', bytes: fx.image.slice() },
      ...notes.map((n) => ({ path: n.name, bytes: n.bytes.slice() })),
    ]);
    const inputs = await s.inputs();
    expect(inputs.map((i) => i.path)).toEqual(['image.bin', ...notes.map((n) => n.name)].sort());
    for (const i of inputs) {
      const bytes = i.path === 'image.bin' ? fx.image : notes.find((n) => n.name === i.path)!.bytes;
      expect(i.sha256, i.path).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(i.size).toBe(bytes.length);
    }
  });
});
