/**
 * Archives a user drops: tar (ustar, GNU long names, pax path records), gzip (through the
 * platform's DecompressionStream) and zip (fflate), and archives inside them. Every entry
 * name is made relative and `..`-free (no drive letter, no control character), so nothing
 * unpacked can land outside the archive's own root; the entry count and the bytes unpacked
 * are bounded for an archive and everything nested in it together (a gzip stream is
 * inflated in chunks and stopped at the bound, a zip entry never inflates past its declared
 * size), and a damaged archive yields what could be read plus problems.
 */
import { pushAll } from '../gcov/push-all';
import { unzipSync } from 'fflate';
import { InputError } from '../gcov/errors';
import { safeRelativePath } from '../gcov/paths';
import { isOutOfMemory } from './out-of-memory';
import { DEFAULT_LIMITS, MAX_DEPTH, MAX_NAME, formatSize, type ArchiveLimits } from './limits';

export { DEFAULT_LIMITS, MAX_DEPTH, MAX_NAME, type ArchiveLimits } from './limits';

const limitHint = 'raise it with --max-unpacked / --max-entries, or in the app under Limits';

/** What one archive and everything nested in it have used of the limits so far. */
interface Budget {
  entries: number;
  bytes: number;
}

const newBudget = (): Budget => ({ entries: 0, bytes: 0 });

/**
 * An entry's name as a path under the archive root: a drive letter or UNC prefix dropped,
 * `\\` as `/`, `.`/`..` resolved without climbing out, control characters as `_`.
 */
export function entryPath(raw: string): string {
  return safeRelativePath(raw.replace(/^[A-Za-z]:/, '')).replace(/\p{Cc}/gu, '_');
}

function namedPath(raw: string, file: string, at: number | undefined, problems: InputError[]): string {
  if (raw.length > MAX_NAME) {
    problems.push(
      new InputError(
        file,
        at,
        'bad-string',
        `entry named "${raw.slice(0, 80)}…" (${raw.length} characters): skipped`,
      ),
    );
    return '';
  }
  const path = entryPath(raw);
  if (path === '')
    problems.push(new InputError(file, at, 'bad-string', `entry named "${raw}": no file name`));
  return path;
}

const countLimit = (limits: ArchiveLimits): string =>
  `more than ${limits.maxEntries} entries (the limit, nested archives included; ${limitHint})`;
const sizeLimit = (limits: ArchiveLimits): string =>
  `more than ${formatSize(limits.maxTotalBytes)} unpacked (the limit, nested archives included; ${limitHint})`;

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
  budget: Budget = newBudget(),
): ArchiveResult {
  const entries: ArchiveEntry[] = [];
  const problems: InputError[] = [];
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
    const path = namedPath(raw, file, h, problems);
    if (path === '') continue;
    if (budget.entries >= limits.maxEntries) {
      problems.push(new InputError(file, h, 'limit', `${countLimit(limits)}: ${path} and the rest ignored`));
      break;
    }
    if (budget.bytes + size > limits.maxTotalBytes) {
      problems.push(new InputError(file, h, 'limit', `${sizeLimit(limits)}: ${path} and the rest ignored`));
      break;
    }
    budget.entries++;
    budget.bytes += size;
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
        throw new InputError(
          file,
          undefined,
          'limit',
          `unpacks to more than ${formatSize(maxBytes)} (the limit, nested archives included; ${limitHint})`,
        );
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
  budget: Budget = newBudget(),
): ArchiveResult {
  const problems: InputError[] = [];
  let count = budget.entries;
  let declared = budget.bytes;
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
              `${count >= limits.maxEntries ? countLimit(limits) : sizeLimit(limits)}: ${f.name} and the rest ignored`,
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
    if (isOutOfMemory(e)) throw e;
    throw new InputError(
      file,
      undefined,
      'bad-magic',
      `not a readable zip archive (${(e as Error).message})`,
    );
  }
  const entries: ArchiveEntry[] = [];
  for (const [name, data] of Object.entries(unpacked)) {
    const path = namedPath(name, file, undefined, problems);
    if (path === '') continue;
    // inflating stops at the declared size, so this only guards the sum
    if (budget.bytes + data.length > limits.maxTotalBytes) {
      problems.push(
        new InputError(file, undefined, 'limit', `${sizeLimit(limits)}: ${name} and the rest ignored`),
      );
      break;
    }
    budget.entries++;
    budget.bytes += data.length;
    entries.push({ path, bytes: data });
  }
  return { entries, problems };
}

const ARCHIVE_SUFFIX = /\.(zip|tar|tgz|tar\.gz|gz)$/i;

/** One archive's own entries (nested archives not opened). */
async function unpackOne(
  bytes: Uint8Array,
  file: string,
  limits: ArchiveLimits,
  budget: Budget,
): Promise<ArchiveResult> {
  const kind = archiveKind(bytes, file);
  if (kind === 'zip') return readZip(bytes, file, limits, budget);
  if (kind === 'tar') return readTar(bytes, file, limits, budget);
  if (kind === 'gzip') {
    const inner = await gunzip(bytes, file, limits.maxTotalBytes - budget.bytes);
    if (archiveKind(inner, file.replace(/\.(tgz|gz)$/i, '.tar')) === 'tar')
      return readTar(inner, file, limits, budget);
    const base = entryPath(file.replace(/\.gz$/i, '')).split('/').pop() || 'unpacked';
    budget.entries++;
    budget.bytes += inner.length;
    return { entries: [{ path: base, bytes: inner }], problems: [] };
  }
  throw new InputError(file, 0, 'bad-magic', 'not a zip, tar or gzip archive');
}

async function unpackNested(
  bytes: Uint8Array,
  file: string,
  limits: ArchiveLimits,
  budget: Budget,
  depth: number,
): Promise<ArchiveResult> {
  const own = await unpackOne(bytes, file, limits, budget);
  const entries: ArchiveEntry[] = [];
  const problems = [...own.problems];
  for (const e of own.entries) {
    if (archiveKind(e.bytes, e.path) === undefined) {
      entries.push(e);
      continue;
    }
    const inner = `${file}/${e.path}`;
    if (depth + 1 >= MAX_DEPTH) {
      problems.push(
        new InputError(
          inner,
          undefined,
          'limit',
          `an archive nested more than ${MAX_DEPTH} deep: kept as it is`,
        ),
      );
      entries.push(e);
      continue;
    }
    try {
      const r = await unpackNested(e.bytes, inner, limits, budget, depth + 1);
      const dir = e.path.replace(ARCHIVE_SUFFIX, '');
      for (const x of r.entries) entries.push({ path: `${dir}/${x.path}`, bytes: x.bytes });
      pushAll(problems, r.problems);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(err);
      if (err.code !== 'limit') entries.push(e);
    }
  }
  return { entries, problems };
}

/**
 * Any supported archive: zip, tar, gzip-compressed tar, or a single gzip-compressed file
 * (named after the archive without .gz), with the archives inside it unpacked in place
 * (`inner.zip`'s entries under `inner/`). Throws InputError when nothing can be read.
 */
export async function unpackArchive(
  bytes: Uint8Array,
  file: string,
  limits: ArchiveLimits = DEFAULT_LIMITS,
): Promise<ArchiveResult> {
  return unpackNested(bytes, file, limits, newBudget(), 0);
}
