/**
 * What a dropped file is, from its content: a core image (Jailhouse signature), an ELF, a
 * .gcno or .gcda (their magic word in either byte order), an archive (zip, gzip, tar).
 * Only sources, which have no magic, go by their extension; a justification file is JSON
 * with its version and list.
 */
import { hasJailhouseSignature } from '../gcov/detect';
import { isElf } from '../gcov/elf';
import { decodeVersion } from '../gcov/version';
import { archiveKind } from './archive';
import { isJustificationFile } from './justification';

export type InputKind =
  'image' | 'elf' | 'gcno' | 'gcda' | 'source' | 'justification' | 'archive' | 'unknown';

/** The magic words as libgcov writes them, a 32-bit word in the target's byte order. */
const GCNO_MAGIC = 0x67636e6f; // "gcno"
const GCDA_MAGIC = 0x67636461; // "gcda"

/** Languages gcc instruments, and the headers and includes their line records name. */
const SOURCE_EXTENSIONS = new Set([
  'c',
  'h',
  'cc',
  'cp',
  'cpp',
  'cxx',
  'c++',
  'hh',
  'hpp',
  'hxx',
  'h++',
  'ipp',
  'tcc',
  'inl',
  'inc',
  'def',
  's',
  'sx',
  'asm',
  'm',
  'mm',
  'f',
  'f90',
  'f95',
  'for',
  'd',
  'go',
  'ads',
  'adb',
  'rs',
  'lds',
]);

/**
 * `gcno` / `gcda` when the file starts with that magic word, big- or little-endian, and the
 * next word, read in the same byte order, is a GCC version word.
 */
export function gcovFileKind(bytes: Uint8Array): 'gcno' | 'gcda' | undefined {
  if (bytes.length < 8) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, 8);
  for (const little of [true, false]) {
    if (decodeVersion(v.getUint32(4, little)) === undefined) continue;
    const magic = v.getUint32(0, little);
    if (magic === GCNO_MAGIC) return 'gcno';
    if (magic === GCDA_MAGIC) return 'gcda';
  }
  return undefined;
}

export function isSourceName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

export function classify(path: string, bytes: Uint8Array): InputKind {
  if (hasJailhouseSignature(bytes)) return 'image';
  if (isElf(bytes)) return 'elf';
  // archives first: a tar whose first entry is named "gcno/..." starts with the .gcno magic
  if (archiveKind(bytes, path)) return 'archive';
  const gcov = gcovFileKind(bytes);
  if (gcov) return gcov;
  if (isSourceName(path)) return 'source';
  // exclusions with their reasons (see justification.ts), versioned with the sources
  if (isJustificationFile(path, bytes)) return 'justification';
  return 'unknown';
}
