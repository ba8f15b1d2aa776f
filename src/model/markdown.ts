/**
 * A Markdown summary of the coverage for a CI job page: the totals, their change against a
 * baseline (a previous evidence package's manifest.json) and the files whose line coverage
 * is below a threshold. Pure; reads only the numbers of the manifest.
 */
import { strFromU8, unzipSync } from 'fflate';
import { InputError } from '../gcov/errors';
import { MANIFEST_FORMAT, type HitTotal, type ManifestFile, type ManifestNumbers } from './evidence';
import { KINDS, percent } from './summary';

// its own module: the CLI's help names it without loading this one (and fflate)
import { DEFAULT_THRESHOLD } from './markdown-threshold';

export { DEFAULT_THRESHOLD };

export interface Numbers {
  readonly totals: ManifestNumbers;
  readonly files: readonly ManifestFile[];
}

export interface MarkdownOptions {
  /** Previous numbers to show changes against. */
  readonly baseline?: Numbers;
  /** Line coverage, in percent, below which a file is listed. */
  readonly threshold?: number;
}

const pct = (c: HitTotal): string => percent({ hit: c.hit, found: c.total });
const ratio = (c: HitTotal): number | undefined => (c.total === 0 ? undefined : (c.hit * 100) / c.total);

/** Change in percentage points, one decimal, signed; '-' when either side has nothing. */
function delta(now: HitTotal, before: HitTotal | undefined): string {
  if (before === undefined) return '-';
  const a = ratio(now);
  const b = ratio(before);
  if (a === undefined || b === undefined) return '-';
  const d = Math.round((a - b) * 10) / 10;
  return d === 0 ? '±0.0' : `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;
}

/** Text in a table cell: no markup, no cell break. */
const cell = (s: string): string => s.replace(/[\\`*_|<>[\]]/g, (c) => `\\${c}`);

function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let parts = paths[0]!.split('/').slice(0, -1);
  for (const p of paths.slice(1)) {
    const q = p.split('/');
    let i = 0;
    while (i < parts.length && i < q.length - 1 && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.length > 0 ? parts.join('/') + '/' : '';
}

export function markdownSummary(now: Numbers, opts: MarkdownOptions = {}): string {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const base = opts.baseline;
  const out: string[] = ['## Coverage', ''];
  out.push(base ? '| | Hit/Total | Coverage | Change |' : '| | Hit/Total | Coverage |');
  out.push(base ? '|---|---:|---:|---:|' : '|---|---:|---:|');
  for (const [k, name] of KINDS) {
    const c = now.totals[k];
    const row = `| ${name} | ${c.hit}/${c.total} | ${pct(c)} |`;
    out.push(base ? `${row} ${delta(c, base.totals[k])} |` : row);
  }
  if (base) out.push('', 'Change: percentage points against the baseline.');

  const root = commonDir(now.files.map((f) => f.path));
  const name = (p: string) => cell(p.startsWith(root) ? p.slice(root.length) : p);
  const before = new Map(base?.files.map((f) => [f.path, f]));
  const low = now.files
    .filter((f) => f.lines.total > 0 && (f.lines.hit * 100) / f.lines.total < threshold)
    .sort((a, b) => ratio(a.lines)! - ratio(b.lines)! || (a.path < b.path ? -1 : 1));
  out.push('');
  if (low.length === 0) {
    out.push(`No file has line coverage below ${threshold} %.`);
  } else {
    out.push(`### ${low.length} of ${now.files.length} files below ${threshold} % line coverage`, '');
    out.push(base ? '| File | Lines | Change | Branches |' : '| File | Lines | Branches |');
    out.push(base ? '|---|---:|---:|---:|' : '|---|---:|---:|');
    for (const f of low) {
      const lines = `${f.lines.hit}/${f.lines.total} ${pct(f.lines)}`;
      const branches = `${f.branches.hit}/${f.branches.total} ${pct(f.branches)}`;
      out.push(
        base
          ? `| ${name(f.path)} | ${lines} | ${before.has(f.path) ? delta(f.lines, before.get(f.path)!.lines) : 'new'} | ${branches} |`
          : `| ${name(f.path)} | ${lines} | ${branches} |`,
      );
    }
  }
  if (base) {
    const gone = base.files.filter((f) => !now.files.some((g) => g.path === f.path)).length;
    const added = now.files.filter((f) => !before.has(f.path)).length;
    if (gone + added > 0) out.push('', `Files: ${added} new, ${gone} no longer reported since the baseline.`);
  }
  if (root) out.push('', `Paths are below \`${root.replace(/`/g, '')}\`.`);
  return out.join('\n') + '\n';
}

const isHitTotal = (v: unknown): v is HitTotal =>
  typeof v === 'object' &&
  v !== null &&
  Number.isSafeInteger((v as HitTotal).hit) &&
  Number.isSafeInteger((v as HitTotal).total);

const isNumbers = (v: unknown): v is ManifestNumbers =>
  typeof v === 'object' && v !== null && KINDS.every(([k]) => isHitTotal((v as Record<string, unknown>)[k]));

/** The numbers of a previous package's manifest.json; an InputError when it is not one. */
export function readBaseline(text: string, file: string): Numbers {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new InputError(
      file,
      undefined,
      'bad-magic',
      'not JSON: give the manifest.json of an evidence package',
    );
  }
  const m = v as { format?: unknown; totals?: unknown; files?: unknown };
  if (typeof v !== 'object' || v === null || m.format !== MANIFEST_FORMAT)
    throw new InputError(file, undefined, 'bad-magic', `not an hvcov evidence manifest (${MANIFEST_FORMAT})`);
  if (!isNumbers(m.totals) || !Array.isArray(m.files))
    throw new InputError(file, undefined, 'bad-record', 'the manifest has no totals or files');
  const files = (m.files as unknown[]).filter(
    (f): f is ManifestFile => isNumbers(f) && typeof (f as ManifestFile).path === 'string',
  );
  return { totals: m.totals, files };
}

/** A baseline given as a previous package (zip: its manifest.json is read) or as its manifest.json. */
export function readBaselineFile(bytes: Uint8Array, file: string): Numbers {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) return readBaseline(strFromU8(bytes), file);
  let manifest: Uint8Array | undefined;
  try {
    manifest = unzipSync(bytes, { filter: (f) => f.name === 'manifest.json' })['manifest.json'];
  } catch {
    throw new InputError(file, undefined, 'bad-record', 'a zip that cannot be read');
  }
  if (manifest === undefined)
    throw new InputError(file, undefined, 'not-found', 'no manifest.json: not an evidence package');
  return readBaseline(strFromU8(manifest), `${file}: manifest.json`);
}
