/**
 * The justification file: exclusions with a reason, versioned with the code (JSON, schema
 * in docs/justifications.schema.json). Each entry names a file, optionally a function and
 * a line range; a range is anchored by the text of its first and last line, searched
 * nearest to the recorded line (inside the function when one is named), so it survives
 * lines inserted or removed around it. An entry whose anchors match nothing is stale.
 */
import { InputError } from '../gcov/errors';
import { pathSegments } from './report';
import type { ExclusionScope } from './exclusions';

export interface JustificationFile {
  /** Schema version: 1. */
  version: 1;
  justifications: Justification[];
}

export interface Justification {
  /** Optional stable name, shown with the exclusion (e.g. "JUST-12"). */
  id?: string;
  /** Source path; matched against the report's paths by its trailing segments. */
  file: string;
  /** Function (gcov's name or demangled name): the whole function, or the window the range is searched in. */
  function?: string;
  /** Line range, 1-based and inclusive, as recorded when the entry was written. */
  lines?: { first: number; last: number };
  /** Text of the range's first and last line (compared without leading/trailing blanks). */
  anchor?: { first?: string; last?: string };
  /** `lines` (default): the lines and everything on them; `branches`: only their branches. */
  scope?: 'lines' | 'branches';
  /** e.g. "defensive code", "hardware fault path", "deactivated code". */
  category: string;
  reason: string;
}

/** Where a justification applies now. */
export interface Anchored {
  readonly first: number;
  readonly last: number;
  /** Lines the range moved by since it was recorded (0 when in place). */
  readonly moved: number;
}

export type AnchorResult = Anchored | { readonly stale: string };

const str = (v: unknown): v is string => typeof v === 'string';
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * Reads a justification file. A broken document is an InputError; a broken entry is left
 * out and reported, the others are kept.
 */
export function parseJustifications(
  text: string,
  name: string,
): { file: JustificationFile; problems: InputError[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(name, undefined, 'bad-record', `not JSON: ${(e as Error).message}`);
  }
  const d = doc as { version?: unknown; justifications?: unknown };
  if (typeof doc !== 'object' || doc === null || d.version !== 1 || !Array.isArray(d.justifications))
    throw new InputError(name, undefined, 'bad-record', 'expected {"version": 1, "justifications": [...]}');
  const problems: InputError[] = [];
  const out: Justification[] = [];
  d.justifications.forEach((raw: unknown, i: number) => {
    const j = raw as Record<string, unknown>;
    const bad = (why: string) =>
      problems.push(new InputError(name, undefined, 'bad-record', `justification ${i + 1}: ${why}: ignored`));
    if (typeof raw !== 'object' || raw === null) return bad('not an object');
    if (!str(j.file) || j.file === '') return bad('"file" must name a source file');
    if (!str(j.reason) || j.reason.trim() === '') return bad('"reason" is required');
    if (!str(j.category) || j.category.trim() === '') return bad('"category" is required');
    if (j.function !== undefined && !str(j.function)) return bad('"function" must be a string');
    if (j.id !== undefined && !str(j.id)) return bad('"id" must be a string');
    if (j.scope !== undefined && j.scope !== 'lines' && j.scope !== 'branches')
      return bad('"scope" is "lines" or "branches"');
    const lines = j.lines as { first?: unknown; last?: unknown } | undefined;
    if (lines !== undefined && (!int(lines.first) || !int(lines.last) || lines.last < lines.first))
      return bad('"lines" must be {"first": n, "last": m} with 1 <= n <= m');
    const anchor = j.anchor as { first?: unknown; last?: unknown } | undefined;
    if (
      anchor !== undefined &&
      (typeof anchor !== 'object' ||
        anchor === null ||
        (anchor.first !== undefined && !str(anchor.first)) ||
        (anchor.last !== undefined && !str(anchor.last)))
    )
      return bad('"anchor" must be {"first": text, "last": text}');
    if (anchor !== undefined && lines === undefined) return bad('"anchor" needs "lines"');
    out.push({
      ...(str(j.id) ? { id: j.id } : {}),
      file: j.file,
      ...(str(j.function) ? { function: j.function } : {}),
      ...(lines ? { lines: { first: lines.first as number, last: lines.last as number } } : {}),
      ...(anchor
        ? {
            anchor: {
              ...(str(anchor.first) ? { first: anchor.first } : {}),
              ...(str(anchor.last) ? { last: anchor.last } : {}),
            },
          }
        : {}),
      ...(j.scope === 'branches' ? { scope: 'branches' as const } : {}),
      category: j.category,
      reason: j.reason,
    });
  });
  return { file: { version: 1, justifications: out }, problems };
}

export const justificationScope = (j: Justification): ExclusionScope =>
  j.scope === 'branches' ? 'branch' : 'line';

/** Does report path `path` end with the segments of `file`? */
export function pathMatches(path: string, file: string): boolean {
  const p = pathSegments(path);
  const f = pathSegments(file).filter((s) => s !== '..');
  if (f.length === 0 || f.length > p.length) return false;
  return f.every((s, i) => p[p.length - f.length + i] === s);
}

/** The line in [from, to] whose trimmed text is `text`, nearest to `near` (the earlier on a tie). */
function nearest(src: string[], text: string, near: number, from: number, to: number): number | undefined {
  const want = text.trim();
  let best: number | undefined;
  for (let n = Math.max(1, from); n <= Math.min(to, src.length); n++)
    if (src[n - 1]!.trim() === want && (best === undefined || Math.abs(n - near) < Math.abs(best - near)))
      best = n;
  return best;
}

/**
 * Where `j` applies in a source (its lines) whose functions are `functions`; `stale` with
 * the reason when its function or its anchors are no longer there.
 */
export function anchorJustification(
  j: Justification,
  src: string[] | undefined,
  functions: readonly { name: string; demangledName: string; startLine: number; endLine: number }[],
): AnchorResult {
  let from = 1;
  let to = src?.length ?? Number.MAX_SAFE_INTEGER;
  if (j.function !== undefined) {
    const fn = functions.find((f) => f.name === j.function || f.demangledName === j.function);
    if (!fn) return { stale: `function ${j.function} is not in the file any more` };
    if (!j.lines) return { first: fn.startLine, last: fn.endLine, moved: 0 };
    from = fn.startLine;
    to = fn.endLine;
  }
  if (!j.lines) {
    if (!src) return { stale: 'the source is needed to know the lines of the whole file' };
    return src.length > 0 ? { first: 1, last: src.length, moved: 0 } : { stale: 'the source is empty' };
  }
  const { first, last } = j.lines;
  const anchored = j.anchor?.first !== undefined || j.anchor?.last !== undefined;
  if (!anchored) {
    if (first < from || last > to) return { stale: `lines ${first}-${last} are outside ${j.function}` };
    return { first, last, moved: 0 };
  }
  if (!src) return { stale: 'the source is needed to check the anchors' };
  let f = first;
  if (j.anchor?.first !== undefined) {
    const n = nearest(src, j.anchor.first, first, from, to);
    if (n === undefined) return { stale: `first line "${j.anchor.first.trim()}" not found` };
    f = n;
  }
  let l = f + (last - first);
  if (j.anchor?.last !== undefined) {
    const n = nearest(src, j.anchor.last, l, f, to);
    if (n === undefined) return { stale: `last line "${j.anchor.last.trim()}" not found` };
    l = n;
  } else if (l > Math.min(to, src.length)) return { stale: `lines ${f}-${l} run past the end` };
  return { first: f, last: l, moved: f - first };
}

/** A dropped file that is a justification file: a `.json` name and `"version": 1` with `"justifications"`. */
export function isJustificationFile(path: string, bytes: Uint8Array): boolean {
  if (!path.toLowerCase().endsWith('.json') || bytes.length > 16 << 20) return false;
  try {
    const d = JSON.parse(new TextDecoder().decode(bytes)) as { version?: unknown; justifications?: unknown };
    return d.version === 1 && Array.isArray(d.justifications);
  } catch {
    return false;
  }
}
