/**
 * The .gcda files as one zip, laid out as libgcov would have written them under a prefix.
 * Entry names come from the paths recorded in the image, which nothing vouches for: each
 * is made relative with no `..` (outputPath), loses a drive letter and control characters,
 * is cut to what a zip entry and a file system take, and two that end up equal are kept
 * apart, so no entry can escape the root it is unpacked in or overwrite another.
 */
import { zipSync, type Zippable } from 'fflate';
import type { GcdaFile } from '../gcov/gcda-writer';
import { outputPath } from '../gcov/paths';

/** Longest path segment most file systems take, in UTF-8 bytes. */
const MAX_SEGMENT = 255;
/** Longest entry name; a zip stores its length in 16 bits. */
const MAX_NAME = 4096;

const utf8 = new TextEncoder();

/** `s` cut to at most `max` UTF-8 bytes, on a character boundary. */
function cut(s: string, max: number): string {
  if (utf8.encode(s).length <= max) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    const len = utf8.encode(ch).length;
    if (n + len > max) break;
    out += ch;
    n += len;
  }
  return out;
}

/** The zip entry name for a recorded .gcda path (`strip` as GCOV_PREFIX_STRIP). */
export function gcdaEntryName(recorded: string, strip = 0): string {
  const parts = outputPath(recorded, strip)
    .split('/')
    .map((seg) => cut(seg.replace(/\p{Cc}/gu, '_'), MAX_SEGMENT));
  // a drive letter ("C:", "C:name") would make the entry absolute on Windows
  parts[0] = parts[0]!.replace(/^[A-Za-z]:/, '');
  if (parts[0] === '') parts.shift();
  let name = parts.join('/');
  if (name.length > MAX_NAME)
    name = cut(name.slice(name.length - MAX_NAME), MAX_NAME).replace(/^[^/]*\//, '');
  return name || 'unnamed.gcda';
}

export function gcdaZip(files: readonly Pick<GcdaFile, 'path' | 'bytes'>[], strip = 0): Uint8Array {
  // Fixed entry time, so the same data always gives the same zip: made now, in local time,
  // because zip stores local-time fields (the same bytes in every time zone).
  const ZIP_TIME = new Date(2000, 0, 1);
  // no prototype: a file named __proto__ or constructor is an entry like any other
  const tree = Object.create(null) as Zippable;
  for (const f of files) {
    const name = gcdaEntryName(f.path, strip);
    let unique = name;
    // a later file never replaces an earlier one of the same name; the zip writer keeps
    // its entries in a plain object, where "__proto__" is no ordinary key
    for (let n = 2; Object.hasOwn(tree, unique) || unique === '__proto__'; n++) unique = `${name}.${n}`;
    tree[unique] = [f.bytes, { mtime: ZIP_TIME }];
  }
  // made on Unix (os 3): Info-ZIP's unzip would otherwise read UTF-8 names as a DOS code page
  return zipSync(tree, { level: 6, mtime: ZIP_TIME, os: 3 });
}
