/**
 * The manifest's summary as a minimal PDF (1.4): lines of text in Courier (one of the
 * standard fonts every reader has, so nothing is embedded), A4 pages, a cross-reference
 * table with exact offsets. Written by hand to need no dependency; all bytes are ASCII
 * (characters outside Latin-1 become "?", Latin-1 ones octal escapes).
 */
import type { HitTotal, Manifest } from './evidence';
import { percent } from './summary';

const PAGE_W = 595;
const PAGE_H = 842;
const MARGIN = 40;
const SIZE = 8;
const LEADING = 10;
/** Courier's advance is 0.6 em. */
const COLUMNS = Math.floor((PAGE_W - 2 * MARGIN) / (SIZE * 0.6));
const ROWS = Math.floor((PAGE_H - 2 * MARGIN) / LEADING);

/** A PDF string literal's content. */
function pdfString(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '(' || ch === ')') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c >= 0xa0 && c <= 0xff) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return out;
}

/** Lines cut to the page width (continuations indented). */
function wrap(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const chars = [...line];
    out.push(chars.slice(0, COLUMNS).join(''));
    for (let i = COLUMNS; i < chars.length; i += COLUMNS - 4)
      out.push('    ' + chars.slice(i, i + COLUMNS - 4).join(''));
  }
  return out;
}

/** What the summary shows: the manifest but its outputs (the PDF is one of them). */
export type PdfManifest = Omit<Manifest, 'outputs' | 'extracted'>;

const num = (c: HitTotal): string => `${c.hit}/${c.total} ${percent({ hit: c.hit, found: c.total })}`;

/** The summary's text lines: stamp, totals, per-file numbers, inputs with their SHA-256. */
export function summaryLines(m: PdfManifest): string[] {
  const kinds = ['lines', 'functions', 'branches', 'conditions'] as const;
  const lines = [
    'Coverage evidence: summary',
    '',
    `Tool:   ${m.tool.name} ${m.tool.version}${m.tool.commit ? ` (${m.tool.commit})` : ''}`,
    `Date:   ${m.date}`,
    `GCC:    ${m.gcc.join(', ') || 'unknown'}`,
    `Target: ${m.targets.join(', ') || 'not recorded (data from .gcda files)'}`,
    '',
    'Totals',
    ...kinds.map((k) => `  ${k.padEnd(11)} ${num(m.totals[k])}`),
    '',
    'Files (lines, functions, branches, conditions: hit/total)',
  ];
  for (const f of m.files) {
    lines.push(`  ${f.path}`);
    lines.push(`      ${kinds.map((k) => num(f[k]).padEnd(18)).join(' ')}`.trimEnd());
  }
  lines.push('', 'Inputs (SHA-256, role, bytes, name)');
  for (const i of m.inputs) lines.push(`  ${i.sha256} ${i.role} ${i.size} ${i.name}`);
  lines.push('', 'Outputs listed in manifest.json are hashed there; SHA256SUMS covers every file.');
  return wrap(lines);
}

/** PDF date: D:YYYYMMDDHHmmSSZ from an ISO 8601 UTC date. */
const pdfDate = (iso: string): string => `D:${iso.replace(/[-:T]/g, '').replace(/\..*$|Z$/, '')}Z`;

export function summaryPdf(m: PdfManifest): Uint8Array {
  const lines = summaryLines(m);
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += ROWS) pages.push(lines.slice(i, i + ROWS));
  if (pages.length === 0) pages.push([]);

  // objects: 1 catalog, 2 pages, 3 font, 4 info, then a page and its content per page
  const objects: string[] = [];
  const kids = pages.map((_, i) => `${5 + 2 * i} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>');
  objects.push(
    `<< /Title (${pdfString('Coverage evidence')}) /Producer (${pdfString(`${m.tool.name} ${m.tool.version}`)}) ` +
      `/CreationDate (${pdfDate(m.date)}) >>`,
  );
  pages.forEach((page, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] ` +
        `/Resources << /Font << /F1 3 0 R >> >> /Contents ${6 + 2 * i} 0 R >>`,
    );
    const text = [
      'BT',
      `/F1 ${SIZE} Tf`,
      `${LEADING} TL`,
      `${MARGIN} ${PAGE_H - MARGIN - SIZE} Td`,
      ...page.map((l) => `(${pdfString(l)}) Tj T*`),
      'ET',
    ].join('\n');
    objects.push(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
  });

  // the binary-marker comment line is plain ASCII here: every byte below 0x80 is fine for 1.4
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
  return bytes;
}
