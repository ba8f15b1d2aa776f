/**
 * Archives a user drops: tar (ustar, GNU long names, pax path records), gzip (through the
 * platform's DecompressionStream) and zip (fflate). Every entry name is made relative and
 * `..`-free, so nothing unpacked can land outside the archive's own root; total size and
 * entry count are bounded, and a damaged archive yields what could be read plus problems.
 */
import { unzipSync } from 'fflate';
import { InputError } from '../gcov/errors';
import { safeRelativePath } from '../gcov/paths';

export interface ArchiveLimits {
  /** Most entries taken from one archive (directories and links not counted). */
  readonly maxEntries: number;
  /** Most bytes unpacked from one archive, all entries together (and a gzip stream's output). */
  readonly maxTotalBytes: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = { maxEntries: 100_000, maxTotalBytes: 1 << 30 };

export interface ArchiveEntry {
  /** Relative, `/`-separated, without `.` or `..` segments. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface ArchiveResult {
  readonly entries: ArchiveEntry[];
  readonly problems: InputError[];
}

export type ArchiveKind = 'zip' | 'gzip' | 'tar';

const BLOCK = 512;

const startsWith = (b: Uint8Array, at: number, sig: readonly number[]): boolean =>
  b.length >= at + sig.length && sig.every((c, i) => b[at + i] === c);

/** "ustar" at offset 257 (POSIX "ustar\0" and GNU "ustar  " both). */
const hasUstarMagic = (b: Uint8Array): boolean => startsWith(b, 257, [0x75, 0x73, 0x74, 0x61, 0x72]);

/** What kind of archive the bytes hold, by content (an old tar without magic: by checksum and name). */
export function archiveKind(bytes: Uint8Array, name = ''): ArchiveKind | undefined {
  if (startsWith(bytes, 0, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, 0, [0x50, 0x4b, 0x05, 0x06]))
    return 'zip';
  if (startsWith(bytes, 0, [0x1f, 0x8b])) return 'gzip';
  if (bytes.length >= BLOCK && hasUstarMagic(bytes) && checksumOk(bytes, 0)) return 'tar';
  if (/\.tar$/i.test(name) && bytes.length >= BLOCK && checksumOk(bytes, 0)) return 'tar';
  return undefined;
}

function cString(b: Uint8Array, at: number, len: number): string {
  let end = at;
  while (end < at + len && b[end] !== 0) end++;
  return utf8(b.subarray(at, end));
}

const utf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: false }).decode(b);

/** A numeric header field: octal text, or base-256 when the top bit of the first byte is set. */
function tarNumber(b: Uint8Array, at: number, len: number): number | undefined {
  const first = b[at]!;
  if (first & 0x80) {
    let v = first & 0x7f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + b[at + i]!;
      if (v > Number.MAX_SAFE_INTEGER) return undefined;
    }
    return v;
  }
  const text = cString(b, at, len).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

function checksumOk(b: Uint8Array, at: number): boolean {
  const want = tarNumber(b, at + 148, 8);
  if (want === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[at + i]!;
    unsigned += c;
    signed += c >= 0x80 ? c - 0x100 : c;
  }
  return want === unsigned || want === signed;
}

const isZeroBlock = (b: Uint8Array, at: number): boolean => {
  for (let i = at; i < at + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
};

/** pax extended header records: "LEN key=value\n" repeated. */
function paxRecords(b: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < b.length) {
    let sp = at;
    while (sp < b.length && b[sp] !== 0x20) sp++;
    const len = Number(utf8(b.subarray(at, sp)));
    if (!Number.isInteger(len) || len <= 0 || at + len > b.length) break;
    const rec = utf8(b.subarray(sp + 1, at + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    at += len;
  }
  return out;
}

/**
 * The regular files of a tar archive, as views on `bytes` (no copy). Links, devices and
 * directories are skipped (a link is reported, never followed).
 */
export function readTar(
  bytes: Uint8Array,
  file: string,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): ArchiveResult {
  const entries: ArchiveEntry[] = [];
  const problems: InputError[] = [];
  let total = 0;
  let at = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let globalPath: string | undefined;
  while (at + BLOCK <= bytes.length) {
    if (isZeroBlock(bytes, at)) break;
    if (!checksumOk(bytes, at)) {
      problems.push(new InputError(file, at, 'checksum', 'tar header checksum does not match: stopped here'));
      break;
    }
    const h = at;
    const size = tarNumber(bytes, at + 124, 12);
    const type = String.fromCharCode(bytes[at + 156]!);
    const dataAt = at + BLOCK;
    if (size === undefined || dataAt + size > bytes.length) {
      problems.push(
        new InputError(
          file,
          at,
          'truncated',
          `tar entry of ${size ?? '?'} bytes runs past the end: stopped here`,
        ),
      );
      break;
    }
    const data = bytes.subarray(dataAt, dataAt + size);
    at = dataAt + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === 'x' || type === 'g') {
      const path = paxRecords(data).get('path');
      if (type === 'x') paxPath = path;
      else globalPath = path;
      continue;
    }
    const prefix = hasUstarMagic(bytes.subarray(h)) ? cString(bytes, h + 345, 155) : '';
    const plain = cString(bytes, h, 100);
    const raw = paxPath ?? longName ?? globalPath ?? (prefix ? `${prefix}/${plain}` : plain);
    longName = undefined;
    paxPath = undefined;
    if (type === 'K') continue;
    if (type === '5') continue;
    if (type === '1' || type === '2') {
      problems.push(new InputError(file, h, 'unsupported', `${raw}: a link, not followed`));
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') continue; // devices, FIFOs, vendor types
    const path = safeRelativePath(raw);
    if (path === '') {
      problems.push(new InputError(file, h, 'bad-string', `entry named "${raw}": no file name`));
      continue;
    }
    if (entries.length >= limits.maxEntries) {
      problems.push(
        new InputError(file, h, 'limit', `more than ${limits.maxEntries} entries: the rest ignored`),
      );
      break;
    }
    if (total + size > limits.maxTotalBytes) {
      problems.push(
        new InputError(
          file,
          h,
          'limit',
          `more than ${limits.maxTotalBytes} bytes unpacked: ${path} and the rest ignored`,
        ),
      );
      break;
    }
    total += size;
    entries.push({ path, bytes: data });
  }
  if (at + BLOCK > bytes.length && at < bytes.length)
    problems.push(new InputError(file, at, 'truncated', 'tar archive ends inside a header block'));
  return { entries, problems };
}

/** A gzip stream's content, at most `maxBytes` of it (more is an InputError of code 'limit'). */
export async function gunzip(
  bytes: Uint8Array,
  file: string,
  maxBytes = DEFAULT_LIMITS.maxTotalBytes,
): Promise<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  // the write settles as the reader consumes; its errors surface through the reader
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = ds.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new InputError(file, undefined, 'limit', `unpacks to more than ${maxBytes} bytes`);
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, undefined, 'truncated', `not a valid gzip stream (${(e as Error).message})`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The files of a zip archive. Declared sizes are checked before inflating, actual sizes after. */
export function readZip(
  bytes: Uint8Array,
  file: string,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): ArchiveResult {
  const problems: InputError[] = [];
  let count = 0;
  let declared = 0;
  let stopped = false;
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || stopped) return false;
        // inflating allocates the declared size first; deflate cannot expand past 1032:1
        if (f.compression !== 0 && f.originalSize > Math.min(f.size, bytes.length) * 1032 + 1024) {
          problems.push(
            new InputError(
              file,
              undefined,
              'bad-record',
              `${f.name}: declares ${f.originalSize} bytes from ${f.size}: skipped`,
            ),
          );
          return false;
        }
        if (count >= limits.maxEntries || declared + f.originalSize > limits.maxTotalBytes) {
          stopped = true;
          problems.push(
            new InputError(
              file,
              undefined,
              'limit',
              count >= limits.maxEntries
                ? `more than ${limits.maxEntries} entries: the rest ignored`
                : `more than ${limits.maxTotalBytes} bytes unpacked: ${f.name} and the rest ignored`,
            ),
          );
          return false;
        }
        count++;
        declared += f.originalSize;
        return true;
      },
    });
  } catch (e) {
    throw new InputError(
      file,
      undefined,
      'bad-magic',
      `not a readable zip archive (${(e as Error).message})`,
    );
  }
  const entries: ArchiveEntry[] = [];
  let total = 0;
  for (const [name, data] of Object.entries(unpacked)) {
    const path = safeRelativePath(name);
    if (path === '') {
      problems.push(new InputError(file, undefined, 'bad-string', `entry named "${name}": no file name`));
      continue;
    }
    total += data.length;
    if (total > limits.maxTotalBytes) {
      problems.push(
        new InputError(file, undefined, 'limit', `${name} unpacks past ${limits.maxTotalBytes} bytes`),
      );
      break;
    }
    entries.push({ path, bytes: data });
  }
  return { entries, problems };
}

/**
 * Any supported archive: zip, tar, gzip-compressed tar, or a single gzip-compressed file
 * (named after the archive without .gz). Throws InputError when nothing can be read.
 */
export async function unpackArchive(
  bytes: Uint8Array,
  file: string,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): Promise<ArchiveResult> {
  const kind = archiveKind(bytes, file);
  if (kind === 'zip') return readZip(bytes, file, limits);
  if (kind === 'tar') return readTar(bytes, file, limits);
  if (kind === 'gzip') {
    const inner = await gunzip(bytes, file, limits.maxTotalBytes);
    if (archiveKind(inner, file.replace(/\.(tgz|gz)$/i, '.tar')) === 'tar')
      return readTar(inner, file, limits);
    const base = safeRelativePath(file.replace(/\.gz$/i, '')).split('/').pop() || 'unpacked';
    return { entries: [{ path: base, bytes: inner }], problems: [] };
  }
  throw new InputError(file, 0, 'bad-magic', 'not a zip, tar or gzip archive');
}
