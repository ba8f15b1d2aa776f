/**
 * The .gcda files as one zip, laid out as libgcov would have written them under a prefix.
 * Entry names come from outputPath, so none can escape the archive root.
 */
import { zipSync, type Zippable } from 'fflate';
import type { GcdaFile } from '../gcov/gcda-writer';
import { outputPath } from '../gcov/paths';

export function gcdaZip(files: readonly Pick<GcdaFile, 'path' | 'bytes'>[], strip = 0): Uint8Array {
  // Fixed entry time, so the same data always gives the same zip: made now, in local time,
  // because zip stores local-time fields (the same bytes in every time zone).
  const ZIP_TIME = new Date(2000, 0, 1);
  const tree: Zippable = {};
  for (const f of files) tree[outputPath(f.path, strip)] = [f.bytes, { mtime: ZIP_TIME }];
  return zipSync(tree, { level: 6, mtime: ZIP_TIME });
}
