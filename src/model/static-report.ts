/**
 * The coverage report as one self-contained HTML file, for archiving as evidence: inline
 * CSS, no script, a Content-Security-Policy that forbids every request, and static tables
 * (totals, exclusions with their reasons and the totals without them, inputs with their
 * SHA-256, files, then per file its functions and its annotated source). Everything taken from the inputs (paths, names, source text) is escaped, so no
 * input can become markup. Pure: the worker and the tests call it on a report model.
 */
import type { Exclusion } from './exclusions';
import { exclusionText } from './exclusion-summary';
import type { Count, Report, ReportFile, ReportLine, Totals } from './report';
import { KINDS, percent } from './summary';

/** No request of any kind, no script; inline style only; images only as data: URLs. */
export const STATIC_REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface StaticInput {
  readonly path: string;
  readonly kind: string;
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
  /** The archive it came out of. */
  readonly from?: string;
}

export interface StaticReportOptions {
  /** hvcov's version. */
  readonly version: string;
  /** When the report was written (ISO 8601). */
  readonly generated: string;
  /** Every input file, with its hash. */
  readonly inputs: readonly StaticInput[];
  /** Source text for a report path; undefined: only the lines with data are shown. */
  readonly source?: (path: string) => { path: string; text: string } | undefined;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function band(c: Count): string {
  if (c.found === 0) return 'none';
  const r = (c.hit * 100) / c.found;
  return r >= 90 ? 'hi' : r >= 75 ? 'med' : 'lo';
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-top:1px solid #bbb;padding-top:.5em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre,.src td{font-family:ui-monospace,monospace;font-size:13px}
dl.stamp{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dl.stamp dt{font-weight:bold}dl.stamp dd{margin:0}
.band-hi{background:#c7f0c7}.band-med{background:#fff0b3}.band-lo{background:#f7c4c4}
table.src{border:0}table.src td{border:0;padding:0 6px;white-space:pre}
tr.covered td.count{background:#c7f0c7}tr.uncovered td.count,tr.uncovered td.code{background:#f7c4c4}
tr.partial td.count{background:#fff0b3}td.branches{color:#555}
.hash{word-break:break-all}
tr.excluded td{background:#e8e8ee}tr.excluded td.count{background:#e8e8ee}td.excl{white-space:normal;color:#444}
`;

function totalsTable(t: Totals, label: string, testId: string): string {
  const rows = KINDS.map(
    ([k, name]) =>
      `<tr data-kind="${k}" class="band-${band(t[k])}"><th scope="row">${name}</th>` +
      `<td class="num" data-cell="hit">${t[k].hit}</td><td class="num" data-cell="found">${t[k].found}</td>` +
      `<td class="num" data-cell="percent">${escapeHtml(percent(t[k]))}</td></tr>`,
  ).join('\n');
  return (
    `<table class="totals" aria-label="${escapeHtml(label)}" data-testid="${testId}">\n` +
    '<thead><tr><th scope="col">Kind</th><th scope="col">Hit</th><th scope="col">Total</th><th scope="col">Coverage</th></tr></thead>\n' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

/** Totals of all code next to the totals without the excluded code. */
function exclusionTotalsTable(all: Totals, after: Totals, label: string, testId: string): string {
  const rows = KINDS.map(
    ([k, name]) =>
      `<tr data-kind="${k}"><th scope="row">${name}</th>` +
      `<td class="num" data-cell="all">${all[k].hit} / ${all[k].found}</td><td class="num">${escapeHtml(percent(all[k]))}</td>` +
      `<td class="num band-${band(after[k])}" data-cell="after">${after[k].hit} / ${after[k].found}</td>` +
      `<td class="num band-${band(after[k])}">${escapeHtml(percent(after[k]))}</td></tr>`,
  ).join('\n');
  return (
    `<table class="totals" aria-label="${escapeHtml(label)}" data-testid="${testId}">\n` +
    '<thead><tr><th scope="col">Kind</th><th scope="col">All code: hit / total</th><th scope="col">All code</th>' +
    '<th scope="col">Without excluded: hit / total</th><th scope="col">Without excluded</th></tr></thead>\n' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

/** The excluded line's own exclusion (a whole-line one before a branch-only one). */
const lineExclusion = (es: readonly Exclusion[]): Exclusion => es.find((e) => e.scope === 'line') ?? es[0]!;

/** The report's exclusions: what was excluded and why, totals with and without them. */
function exclusionsSection(report: Report, fileIndex: ReadonlyMap<string, number>): string {
  const s = report.exclusions;
  const after = report.afterExclusions;
  if (!s || !after) return '';
  let excluded = 0;
  for (const f of report.files) excluded += f.excluded?.size ?? 0;
  if (excluded === 0 && s.justificationFile === undefined) return '';
  const out: string[] = [];
  out.push('<h2 id="exclusions">Exclusions</h2>');
  out.push(
    `<p data-testid="exclusions-note">${excluded} lines excluded; ` +
      `markers ${s.markers ? 'read from the sources' : 'off'}` +
      (s.justificationFile !== undefined
        ? `; justification file <code>${escapeHtml(s.justificationFile)}</code>: ${s.applied.length} applied, ${s.stale.length} stale`
        : '') +
      `. ${EXCLUDED_MARK} marks an excluded line in the source listings, with its reason.</p>`,
  );
  out.push(
    exclusionTotalsTable(report.totals, after, 'Totals with and without exclusions', 'exclusion-totals'),
  );
  if (s.stale.length > 0) {
    out.push('<p>Stale justifications (they match no code any more):</p><ul data-testid="stale">');
    for (const st of s.stale)
      out.push(
        `<li>${escapeHtml(`${st.justification.id ?? `#${st.index + 1}`} (${st.justification.file}): ${st.reason}`)}</li>`,
      );
    out.push('</ul>');
  }
  if (s.executed.length > 0) {
    out.push(`<p>${EXECUTED_MARK} Excluded but executed:</p><ul data-testid="excluded-executed">`);
    for (const e of s.executed) {
      const i = fileIndex.get(e.path);
      const where = escapeHtml(`${e.path}:${e.line}`);
      const text = `${e.function !== undefined ? `function ${e.function}: ` : ''}${exclusionText(e.exclusion)}`;
      out.push(
        `<li>${i === undefined ? where : `<a href="#f${i}-l${e.line}">${where}</a>`} ran ${e.count} times (${escapeHtml(text)})</li>`,
      );
    }
    out.push('</ul>');
  }
  return out.join('\n');
}

/** The directory all paths share ("/" when none). */
export function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '/';
  let parts = paths[0]!.split('/').filter(Boolean).slice(0, -1);
  for (const p of paths.slice(1)) {
    const q = p.split('/').filter(Boolean);
    let i = 0;
    while (i < parts.length && i < q.length - 1 && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return '/' + parts.join('/');
}

const relative = (root: string, path: string): string => {
  const prefix = root === '/' ? '/' : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
};

type LineState = 'covered' | 'uncovered' | 'partial';

function lineState(l: ReportLine): LineState {
  if (l.count === 0) return 'uncovered';
  if (l.unexecutedBlock) return 'partial';
  if (l.branches.some((b) => !(b.count !== undefined && b.count > 0))) return 'partial';
  if (l.conditions.some((c) => c.notCoveredTrue.length + c.notCoveredFalse.length > 0)) return 'partial';
  return 'covered';
}

const STATE_MARK: Record<LineState, string> = { covered: '✓', uncovered: '✗', partial: '◐' };
const EXCLUDED_MARK = '⊘';
const EXECUTED_MARK = '⚠';

function branchText(l: ReportLine): string {
  if (l.branches.length === 0) return '';
  const taken = l.branches.filter((b) => b.count !== undefined && b.count > 0).length;
  return `${taken}/${l.branches.length}`;
}

function fileSection(f: ReportFile, index: number, name: string, opts: StaticReportOptions): string {
  const out: string[] = [];
  out.push(`<section id="f${index}" data-file="${escapeHtml(f.path)}">`);
  out.push(`<h2><code>${escapeHtml(name)}</code></h2>`);
  out.push(`<p><a href="#files">back to the files</a> · <code>${escapeHtml(f.path)}</code></p>`);
  out.push(totalsTable(f.totals, `Totals of ${name}`, 'file-totals'));
  const excluded = f.excluded && f.excluded.size > 0 ? f.excluded : undefined;
  if (excluded && f.afterExclusions)
    out.push(
      exclusionTotalsTable(
        f.totals,
        f.afterExclusions,
        `Totals of ${name} with and without exclusions`,
        'file-exclusion-totals',
      ),
    );
  if (f.functions.length > 0) {
    out.push('<table class="functions"><thead><tr><th scope="col">Function</th><th scope="col">Line</th>');
    out.push(
      '<th scope="col" class="num">Called</th><th scope="col" class="num">Blocks executed</th></tr></thead><tbody>',
    );
    for (const fn of f.functions) {
      const blocks = fn.blocks === 0 ? '-' : `${Math.round((fn.blocksExecuted * 100) / fn.blocks)}%`;
      out.push(
        `<tr><td><code>${escapeHtml(fn.demangledName)}</code></td><td class="num"><a href="#f${index}-l${fn.startLine}">${fn.startLine}</a></td>` +
          `<td class="num">${fn.executionCount}</td><td class="num">${blocks}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  const src = opts.source?.(f.path);
  const byLine = new Map(f.lines.map((l) => [l.lineNumber, l]));
  let numbers: number[];
  let text: (n: number) => string;
  if (src) {
    const lines = src.text.replace(/\r\n/g, '\n').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const last = Math.max(lines.length, f.lines.at(-1)?.lineNumber ?? 0);
    numbers = Array.from({ length: last }, (_, i) => i + 1);
    text = (n) => lines[n - 1] ?? '';
    out.push(`<p>Source: <code>${escapeHtml(src.path)}</code></p>`);
  } else {
    numbers = f.lines.map((l) => l.lineNumber);
    text = () => '';
    out.push('<p>No source file was given: only the lines with code are listed.</p>');
  }
  out.push(
    '<table class="src"><thead><tr><th scope="col" class="num">Line</th><th scope="col"></th><th scope="col" class="num">Count</th>' +
      '<th scope="col">Branches</th><th scope="col">Source</th>' +
      (excluded ? '<th scope="col">Excluded</th>' : '') +
      '</tr></thead><tbody>',
  );
  for (const n of numbers) {
    const l = byLine.get(n);
    const state = l ? lineState(l) : undefined;
    const es = excluded?.get(n);
    const ex = es && es.length > 0 ? lineExclusion(es) : undefined;
    const classes = [...(state ? [state] : []), ...(ex ? ['excluded'] : [])].join(' ');
    const mark = `${state ? STATE_MARK[state] : ''}${ex ? EXCLUDED_MARK : ''}`;
    const exCell = !excluded
      ? ''
      : !ex
        ? '<td class="excl"></td>'
        : `<td class="excl" data-cell="excluded">${ex.scope === 'line' ? 'excluded' : 'branches excluded'}: ${escapeHtml(exclusionText(ex))}` +
          `${ex.scope === 'line' && l && l.count > 0 ? ` ${EXECUTED_MARK} excluded but executed` : ''}</td>`;
    out.push(
      `<tr id="f${index}-l${n}"${classes ? ` class="${classes}"` : ''}><td class="num">${n}</td>` +
        `<td>${mark}</td><td class="num count">${l ? l.count : ''}</td>` +
        `<td class="branches">${l ? branchText(l) : ''}</td><td class="code">${escapeHtml(text(n))}</td>${exCell}</tr>`,
    );
  }
  out.push('</tbody></table></section>');
  return out.join('\n');
}

/** The report as one HTML document (a string; the caller encodes it as UTF-8). */
export function staticReportHtml(report: Report, opts: StaticReportOptions): string {
  const root = commonDir(report.files.map((f) => f.path));
  const gcc = [...new Set(report.objects.map((o) => o.json.gcc_version))].sort();
  const targets = [...new Set(report.objects.flatMap((o) => (o.target !== undefined ? [o.target] : [])))];
  const images = [...new Set(report.objects.flatMap((o) => (o.image !== undefined ? [o.image] : [])))];
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en"><head><meta charset="utf-8">');
  out.push(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(STATIC_REPORT_CSP)}">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<meta name="generator" content="hvcov ${escapeHtml(opts.version)}">`);
  out.push(`<title>Coverage report: ${escapeHtml(root)}</title>`);
  out.push(`<style>${STYLE}</style></head><body>`);
  out.push('<h1>Coverage report</h1>');
  out.push('<dl class="stamp" data-testid="stamp">');
  out.push(`<dt>Tool</dt><dd data-cell="tool">hvcov ${escapeHtml(opts.version)}</dd>`);
  out.push(`<dt>Written</dt><dd data-cell="generated">${escapeHtml(opts.generated)}</dd>`);
  out.push(`<dt>GCC</dt><dd data-cell="gcc">${escapeHtml(gcc.join(', ') || 'unknown')}</dd>`);
  out.push(
    `<dt>Target</dt><dd data-cell="target">${escapeHtml(targets.join(', ') || 'not recorded (data from .gcda files)')}</dd>`,
  );
  if (images.length > 0)
    out.push(`<dt>Image</dt><dd data-cell="image">${escapeHtml(images.join(', '))}</dd>`);
  out.push(`<dt>Source root</dt><dd data-cell="root"><code>${escapeHtml(root)}</code></dd>`);
  const matched = report.objects.filter((o) => o.data !== undefined).length;
  out.push(
    `<dt>Objects</dt><dd data-cell="objects">${report.objects.length} .gcno, ${matched} with data, ${report.files.length} source files</dd>`,
  );
  out.push('</dl>');
  out.push(totalsTable(report.totals, 'Totals', 'report-totals'));
  out.push(exclusionsSection(report, new Map(report.files.map((f, i) => [f.path, i]))));

  if (report.problems.length > 0) {
    out.push('<h2 id="problems">Problems</h2><ul>');
    for (const p of report.problems) out.push(`<li>${escapeHtml(p.message)}</li>`);
    out.push('</ul>');
  }
  const unmatched = report.objects.filter((o) => o.data === undefined);
  if (unmatched.length > 0) {
    out.push('<h2 id="unmatched">Objects without data (counted as never executed)</h2><ul>');
    for (const o of unmatched) out.push(`<li><code>${escapeHtml(o.notes)}</code></li>`);
    out.push('</ul>');
  }

  out.push('<h2 id="inputs">Inputs</h2>');
  out.push(
    '<table data-testid="inputs"><thead><tr><th scope="col">File</th><th scope="col">Kind</th>' +
      '<th scope="col" class="num">Bytes</th><th scope="col">SHA-256</th></tr></thead><tbody>',
  );
  for (const i of opts.inputs)
    out.push(
      `<tr><td data-cell="path"><code>${escapeHtml(i.path)}</code>${i.from !== undefined ? ` (from <code>${escapeHtml(i.from)}</code>)` : ''}</td>` +
        `<td>${escapeHtml(i.kind)}</td><td class="num">${i.size}</td><td class="hash" data-cell="sha256"><code>${escapeHtml(i.sha256)}</code></td></tr>`,
    );
  out.push('</tbody></table>');

  out.push('<h2 id="files">Files</h2>');
  out.push('<table data-testid="file-table"><thead><tr><th scope="col">File</th>');
  for (const [, name] of KINDS) out.push(`<th scope="col" class="num">${name}</th>`);
  out.push('</tr></thead><tbody>');
  const names = report.files.map((f) => relative(root, f.path));
  report.files.forEach((f, i) => {
    const cells = KINDS.map(
      ([k]) =>
        `<td class="num band-${band(f.totals[k])}">${f.totals[k].hit}/${f.totals[k].found} ${escapeHtml(percent(f.totals[k]))}</td>`,
    ).join('');
    out.push(`<tr><td><a href="#f${i}"><code>${escapeHtml(names[i]!)}</code></a></td>${cells}</tr>`);
  });
  out.push('</tbody></table>');
  report.files.forEach((f, i) => out.push(fileSection(f, i, names[i]!, opts)));
  out.push('</body></html>');
  return out.join('\n') + '\n';
}
