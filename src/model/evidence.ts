/**
 * The evidence package: one zip holding the report's outputs (static HTML report, .gcda
 * zip, lcov, gcov JSON, Cobertura), the justification file if one was given, and a
 * manifest (JSON and Markdown) with the SHA-256 of every input and output, the tool, the
 * compilers and targets, the date and the numbers per file. Pure: the app's worker and the
 * CLI call it with the same inputs and date and get the same bytes.
 *
 * Input names are made independent of where the files lay on disk or in a dropped folder
 * (so the app and the CLI agree): an image, ELF or justification by its base name, .gcno and
 * .gcda given as files by their path below the directory they all share, .gcda taken from
 * an image by the path recorded in it, sources by the report's path of the file.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { coberturaXml } from './cobertura';
import { gcdaZip } from './gcda-zip';
import { lcovTracefile } from './lcov';
import type { Count, Report, Totals } from './report';
import { sha256Hex } from './session';
import { commonDir, staticReportHtml, type StaticInput } from './static-report';
import { percent } from './summary';
import { summaryPdf } from './summary-pdf';
import { gcovJsonLines } from './gcov-json-text';

export const MANIFEST_FORMAT = 'hvcov-evidence/1';

export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ToolInfo {
  readonly name: string;
  /** package.json's version. */
  readonly version: string;
  /** Git commit the tool was built from, when known at build time. */
  readonly commit?: string;
}

export interface EvidenceOptions {
  readonly report: Report;
  readonly tool: ToolInfo;
  /** When the package is written: ms since the epoch (written as ISO 8601 UTC, whole seconds). */
  readonly now: number;
  /** The core image the data came from (undefined: .gcda files were given). */
  readonly image?: NamedBytes;
  readonly elf?: NamedBytes;
  /** Every .gcno given. */
  readonly notes: readonly NamedBytes[];
  /** The .gcda data: extracted from the image (names as recorded) or given as files. */
  readonly data: readonly NamedBytes[];
  /** The bytes of the source of a report file (by its report path), when there. */
  readonly source: (path: string) => Uint8Array | undefined;
  /** Included verbatim and hashed; its content is not read. */
  readonly justification?: NamedBytes;
  /** SHA-256, lower-case hex; default Web Crypto. */
  readonly digest?: (bytes: Uint8Array) => Promise<string>;
}

export type InputRole = 'image' | 'elf' | 'gcno' | 'gcda' | 'source' | 'justification';

export interface ManifestEntry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ManifestInput extends ManifestEntry {
  readonly role: InputRole;
}

export interface HitTotal {
  readonly hit: number;
  readonly total: number;
}

export interface ManifestNumbers {
  readonly lines: HitTotal;
  readonly functions: HitTotal;
  readonly branches: HitTotal;
  readonly conditions: HitTotal;
}

export interface ManifestFile extends ManifestNumbers {
  readonly path: string;
}

export interface Manifest {
  readonly format: string;
  readonly tool: ToolInfo;
  /** ISO 8601 UTC. */
  readonly date: string;
  readonly gcc: readonly string[];
  readonly targets: readonly string[];
  readonly inputs: readonly ManifestInput[];
  /** .gcda extracted from the image, as written into gcda.zip (empty when .gcda were given). */
  readonly extracted: readonly ManifestEntry[];
  /** Every file of the package but the manifests themselves and SHA256SUMS. */
  readonly outputs: readonly ManifestEntry[];
  readonly totals: ManifestNumbers;
  readonly files: readonly ManifestFile[];
}

export interface EvidencePackage {
  readonly zip: Uint8Array;
  readonly manifest: Manifest;
}

/** File names in the package. */
export const PACKAGE_FILES = {
  html: 'coverage-report.html',
  gcdaZip: 'gcda.zip',
  lcov: 'coverage.info',
  gcovJson: 'coverage.gcov.json',
  cobertura: 'cobertura.xml',
  pdf: 'summary.pdf',
  manifest: 'manifest.json',
  manifestMd: 'manifest.md',
  sums: 'SHA256SUMS',
} as const;

const KINDS = ['lines', 'functions', 'branches', 'conditions'] as const;

/** ISO 8601 UTC to the second, e.g. 2026-01-31T12:00:00Z. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const baseName = (p: string): string => p.split(/[\\/]/).filter(Boolean).at(-1) ?? p;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Paths below the directory they all share (a single file: its base name). */
export function belowCommonDir(paths: readonly string[]): string[] {
  const split = paths.map((p) => p.split(/[\\/]/).filter((s) => s !== '' && s !== '.'));
  if (split.length === 0) return [];
  let n = split[0]!.length - 1;
  for (const s of split.slice(1)) {
    let i = 0;
    while (i < n && i < s.length - 1 && s[i] === split[0]![i]) i++;
    n = i;
  }
  return split.map((s) => s.slice(n).join('/'));
}

const hitTotal = (c: Count): HitTotal => ({ hit: c.hit, total: c.found });

export function manifestNumbers(t: Totals): ManifestNumbers {
  return {
    lines: hitTotal(t.lines),
    functions: hitTotal(t.functions),
    branches: hitTotal(t.branches),
    conditions: hitTotal(t.conditions),
  };
}

/** The report with each object's image named by its base name, as the manifest names it. */
function withImageBaseName(report: Report): Report {
  return {
    ...report,
    objects: report.objects.map((o) => (o.image !== undefined ? { ...o, image: baseName(o.image) } : o)),
  };
}

/** The manifest as Markdown, for a person reading the package. */
export function manifestMarkdown(m: Manifest): string {
  const esc = (s: string) => s.replace(/[\\`*_|<>[\]]/g, (c) => `\\${c}`);
  const num = (c: HitTotal) => `${c.hit}/${c.total} ${percent({ hit: c.hit, found: c.total })}`;
  const out: string[] = [];
  out.push('# Coverage evidence', '');
  out.push(
    `- Tool: ${esc(m.tool.name)} ${esc(m.tool.version)}${m.tool.commit ? ` (${esc(m.tool.commit)})` : ''}`,
  );
  out.push(`- Date: ${m.date}`);
  out.push(`- GCC: ${esc(m.gcc.join(', ') || 'unknown')}`);
  out.push(`- Target: ${esc(m.targets.join(', ') || 'not recorded (data from .gcda files)')}`);
  out.push('', '## Totals', '', '| Kind | Hit/Total |', '|---|---:|');
  for (const k of KINDS) out.push(`| ${k} | ${num(m.totals[k])} |`);
  const table = (title: string, rows: readonly (ManifestEntry & { role?: string })[]) => {
    out.push('', `## ${title}`, '', '| File | Role | Bytes | SHA-256 |', '|---|---|---:|---|');
    for (const r of rows) out.push(`| ${esc(r.name)} | ${r.role ?? ''} | ${r.size} | ${r.sha256} |`);
  };
  table('Inputs', m.inputs);
  if (m.extracted.length > 0) table('.gcda extracted from the image (in gcda.zip)', m.extracted);
  table('Outputs', m.outputs);
  out.push(
    '',
    '## Files',
    '',
    '| File | Lines | Functions | Branches | Conditions |',
    '|---|---:|---:|---:|---:|',
  );
  for (const f of m.files) out.push(`| ${esc(f.path)} | ${KINDS.map((k) => num(f[k])).join(' | ')} |`);
  out.push(
    '',
    'manifest.json holds the same data; SHA256SUMS lists every file of the package (for `sha256sum -c`).',
  );
  return out.join('\n') + '\n';
}

/** Builds the package; the same options and `now` give the same bytes. */
export async function evidencePackage(opts: EvidenceOptions): Promise<EvidencePackage> {
  const digest = opts.digest ?? sha256Hex;
  const entry = async (name: string, bytes: Uint8Array): Promise<ManifestEntry> => ({
    name,
    size: bytes.length,
    sha256: await digest(bytes),
  });
  const report = withImageBaseName(opts.report);
  const date = isoDate(opts.now);

  const inputs: ManifestInput[] = [];
  const add = async (role: InputRole, name: string, bytes: Uint8Array) =>
    inputs.push({ role, ...(await entry(name, bytes)) });
  if (opts.image) await add('image', baseName(opts.image.name), opts.image.bytes);
  if (opts.elf) await add('elf', baseName(opts.elf.name), opts.elf.bytes);
  const notes = belowCommonDir(opts.notes.map((n) => n.name));
  const notesOrder = opts.notes.map((n, i) => ({ name: notes[i]!, bytes: n.bytes }));
  for (const n of notesOrder.sort((a, b) => cmp(a.name, b.name))) await add('gcno', n.name, n.bytes);
  const extracted: ManifestEntry[] = [];
  if (opts.image) {
    for (const d of [...opts.data].sort((a, b) => cmp(a.name, b.name)))
      extracted.push(await entry(d.name, d.bytes));
  } else {
    const names = belowCommonDir(opts.data.map((d) => d.name));
    const data = opts.data.map((d, i) => ({ name: names[i]!, bytes: d.bytes }));
    for (const d of data.sort((a, b) => cmp(a.name, b.name))) await add('gcda', d.name, d.bytes);
  }
  const decoder = new TextDecoder();
  const texts = new Map<string, string>();
  for (const f of report.files) {
    const bytes = opts.source(f.path);
    if (bytes === undefined) continue;
    await add('source', f.path, bytes);
    texts.set(f.path, decoder.decode(bytes));
  }
  if (opts.justification)
    await add('justification', baseName(opts.justification.name), opts.justification.bytes);

  const staticInputs: StaticInput[] = inputs.map((i) => ({
    path: i.name,
    kind: i.role,
    size: i.size,
    sha256: i.sha256,
  }));
  const version = `${opts.tool.version}${opts.tool.commit ? ` (${opts.tool.commit})` : ''}`;
  const files: [string, Uint8Array][] = [];
  files.push([
    PACKAGE_FILES.html,
    strToU8(
      staticReportHtml(report, {
        version,
        generated: date,
        inputs: staticInputs,
        source: (path) => {
          const text = texts.get(path);
          return text === undefined ? undefined : { path, text };
        },
      }),
    ),
  ]);
  if (opts.image)
    files.push([PACKAGE_FILES.gcdaZip, gcdaZip(opts.data.map((d) => ({ path: d.name, bytes: d.bytes })))]);
  files.push([PACKAGE_FILES.lcov, strToU8(lcovTracefile(report))]);
  files.push([PACKAGE_FILES.gcovJson, strToU8(gcovJsonLines(report))]);
  files.push([
    PACKAGE_FILES.cobertura,
    strToU8(
      coberturaXml(report, {
        root: commonDir(report.files.map((f) => f.path)),
        source: (path) => texts.get(path),
        timestamp: Math.floor(opts.now / 1000),
      }),
    ),
  ]);
  if (opts.justification)
    files.push([`justification/${baseName(opts.justification.name)}`, opts.justification.bytes]);

  const stamp = {
    format: MANIFEST_FORMAT,
    tool: { ...opts.tool },
    date,
    gcc: [...new Set(report.objects.map((o) => o.json.gcc_version))].sort(),
    targets: [...new Set(report.objects.flatMap((o) => (o.target !== undefined ? [o.target] : [])))].sort(),
    inputs,
  };
  const numbers = {
    totals: manifestNumbers(report.totals),
    files: report.files.map((f) => ({ path: f.path, ...manifestNumbers(f.totals) })),
  };
  files.push([PACKAGE_FILES.pdf, summaryPdf({ ...stamp, ...numbers })]);

  const outputs: ManifestEntry[] = [];
  for (const [name, bytes] of files) outputs.push(await entry(name, bytes));
  const manifest: Manifest = { ...stamp, extracted, outputs, ...numbers };
  files.push([PACKAGE_FILES.manifest, strToU8(JSON.stringify(manifest, null, 2) + '\n')]);
  files.push([PACKAGE_FILES.manifestMd, strToU8(manifestMarkdown(manifest))]);
  const sums: string[] = [];
  for (const [name, bytes] of files) sums.push(`${await digest(bytes)}  ${name}\n`);
  files.push([PACKAGE_FILES.sums, strToU8(sums.join(''))]);

  // entry time fixed, and made now in local time as zip stores it: the same bytes in any time zone
  const ZIP_TIME = new Date(2000, 0, 1);
  const tree: Zippable = {};
  for (const [name, bytes] of files)
    tree[name] = [bytes, { mtime: ZIP_TIME, level: name.endsWith('.zip') ? 0 : 6 }];
  return { zip: zipSync(tree, { mtime: ZIP_TIME }), manifest };
}
