/**
 * Where a .gcda recorded in an image goes: GCOV_PREFIX_STRIP semantics, then a path
 * relative to the output root that can never climb out of it.
 */

/** Drop `strip` leading directory levels as libgcov does; past the end, keep the file name. */
export function stripLevels(path: string, strip: number): string {
  if (strip <= 0) return path;
  let level = strip;
  let i = path.startsWith('/') ? 1 : 0;
  let keep = path;
  while (level > 0) {
    const slash = path.indexOf('/', i);
    if (slash < 0) break;
    keep = path.slice(slash);
    i = slash + 1;
    level--;
  }
  return keep;
}

/**
 * A relative path under the output root: `.` and empty segments dropped, `..` resolved,
 * and never above the root (a leading `..` is dropped, as in a zip entry name).
 */
export function safeRelativePath(path: string): string {
  const parts: string[] = [];
  for (const seg of path.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      parts.pop();
      continue;
    }
    parts.push(seg.replace(/[\0]/g, '_'));
  }
  return parts.join('/');
}

export function outputPath(recorded: string, strip = 0): string {
  if (strip === 0) {
    const plain = plainPath(recorded);
    if (plain !== undefined) return plain;
  }
  return safeRelativePath(stripLevels(recorded, strip));
}

/**
 * Fast path for the usual recorded path: when safeRelativePath would only drop the leading
 * '/' (no '\\', NUL, empty, '.' or '..' segment), the answer is the rest of the string.
 */
function plainPath(p: string): string | undefined {
  const rel = p.charCodeAt(0) === 0x2f ? p.slice(1) : p;
  if (
    rel === '' ||
    rel.charCodeAt(0) === 0x2f ||
    rel.endsWith('/') ||
    rel.includes('//') ||
    rel.includes('\\') ||
    rel.includes('\0')
  )
    return undefined;
  if (rel.includes('/.') || rel.startsWith('.')) {
    for (const seg of rel.split('/')) if (seg === '.' || seg === '..') return undefined;
  }
  return rel;
}
