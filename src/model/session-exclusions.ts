/**
 * The app's exclusions: markers read from the dropped sources (each report path matched
 * with the source whose path shares the most trailing segments, as the file view does)
 * and the dropped justification file, applied to the report.
 */
import { pushAll } from '../gcov/push-all';
import { InputError, isInputError } from '../gcov/errors';
import { applyExclusions } from './apply-exclusions';
import { parseJustifications, type JustificationFile } from './justification';
import { pathSegments, type Report } from './report';

interface Given {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The dropped source for a report path: the most trailing segments shared; none on a tie. */
export function matchSourcePath(
  path: string,
  sources: readonly string[],
  segments: readonly string[][] = sources.map(pathSegments),
): string | undefined {
  const want = pathSegments(path);
  let best = 0;
  let found: string[] = [];
  for (let k = 0; k < sources.length; k++) {
    const s = sources[k]!;
    const have = segments[k]!;
    // the file name must match before any other segment is compared
    if (have.at(-1) !== want.at(-1)) continue;
    let n = 0;
    while (n < want.length && n < have.length && want[want.length - 1 - n] === have[have.length - 1 - n]) n++;
    if (n === 0) continue;
    if (n > best) [best, found] = [n, [s]];
    else if (n === best) found.push(s);
  }
  return found.length === 1 ? found[0] : undefined;
}

export function excludeInSession(
  report: Report,
  sources: readonly Given[],
  justifications: readonly Given[],
): { problems: InputError[]; warnings: string[] } {
  const problems: InputError[] = [];
  const warnings: string[] = [];
  const decoder = new TextDecoder();
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const paths = sources.map((s) => s.path);
  const segments = paths.map(pathSegments);
  const texts = new Map<string, string | undefined>();
  const source = (path: string) => {
    if (!texts.has(path)) {
      const m = matchSourcePath(path, paths, segments);
      texts.set(path, m === undefined ? undefined : decoder.decode(byPath.get(m)!.bytes));
    }
    return texts.get(path);
  };
  let file: JustificationFile | undefined;
  const j = justifications[0];
  for (const other of justifications.slice(1))
    problems.push(
      new InputError(
        other.path,
        undefined,
        'unsupported',
        `one justification file at a time: ${j!.path} is used`,
      ),
    );
  if (j)
    try {
      const r = parseJustifications(decoder.decode(j.bytes), j.path);
      file = r.file;
      pushAll(problems, r.problems);
    } catch (e) {
      if (!isInputError(e)) throw e;
      problems.push(e);
    }
  const s = applyExclusions(report, {
    source,
    ...(file && j ? { justifications: file, justificationName: j.path } : {}),
  });
  for (const st of s.stale)
    warnings.push(
      `stale justification ${st.justification.id ?? `#${st.index + 1}`} (${st.justification.file}): ${st.reason}`,
    );
  for (const w of s.warnings) warnings.push(w);
  return { problems, warnings };
}
