/**
 * What `hvcov report` reads from the command line: a folder, or an archive of one (zip,
 * tar, tar.gz; archives inside unpacked too), within the limits given by --max-unpacked
 * and --max-entries; and a core image, gzip-compressed or not.
 */
import { closeSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { InputError } from '../gcov/errors';
import { DEFAULT_LIMITS, formatSize, parseSize, type ArchiveLimits } from '../model/limits';

/** The archive code (and the zip library's start-up tables) is loaded only for an archive. */
const archives = () => import('../model/archive');

export const LIMIT_OPTIONS = {
  'max-unpacked': { type: 'string' },
  'max-entries': { type: 'string' },
} as const;

export const LIMITS_HELP = `  --max-unpacked SIZE      most bytes one archive, nested archives included, may unpack to
                           (default ${formatSize(DEFAULT_LIMITS.maxTotalBytes)}; e.g. 512M, 4G)
  --max-entries N          most files one archive, nested archives included, may hold
                           (default ${DEFAULT_LIMITS.maxEntries})`;

export function archiveLimits(v: { 'max-unpacked'?: string; 'max-entries'?: string }): ArchiveLimits {
  let maxTotalBytes = DEFAULT_LIMITS.maxTotalBytes;
  let maxEntries = DEFAULT_LIMITS.maxEntries;
  if (v['max-unpacked'] !== undefined) {
    const n = parseSize(v['max-unpacked']);
    if (n === undefined)
      throw new InputError(
        'command line',
        undefined,
        'bad-argument',
        `--max-unpacked ${v['max-unpacked']}: a size such as 800M or 2G`,
      );
    maxTotalBytes = n;
  }
  if (v['max-entries'] !== undefined) {
    const n = Number(v['max-entries']);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InputError(
        'command line',
        undefined,
        'bad-argument',
        `--max-entries ${v['max-entries']}: a whole number from 1`,
      );
    maxEntries = n;
  }
  return { maxEntries, maxTotalBytes };
}

/**
 * The regular files under `dir` whose names end in `ext`, sorted by path. Links are followed,
 * but each folder is entered once (by its real path): a link back up the tree (`build/latest
 * -> .`) is not followed round and round, and a folder reached by two names is listed under
 * its real name when it is inside the tree (links are followed after it), else under the
 * first link met in name order. An entry with a fitting name that is no regular file (a
 * dangling link, a pipe, a device: reading one could block forever) is not listed but added
 * to `others` as a problem.
 */
export function treeFiles(dir: string, ext: string, others: InputError[] = []): string[] {
  const entered = new Set<string>();
  const out: string[] = [];
  // links are followed after the whole real tree: a folder inside the tree is named by where
  // it is, not by a link to it
  const links: string[] = [];
  const visit = (d: string): void => {
    let real: string;
    try {
      real = realpathSync(d);
    } catch {
      return;
    }
    if (entered.has(real)) return;
    entered.add(real);
    // the entry types come with the names: a stat only for links
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      const p = d + sep + e.name;
      if (e.isDirectory()) visit(p);
      else if (e.isSymbolicLink()) links.push(p);
      else if (!e.name.endsWith(ext)) continue;
      else if (e.isFile()) out.push(p);
      else others.push(notAFile(p));
    }
  };
  visit(dir);
  for (let i = 0; i < links.length; i++) {
    const p = links[i]!;
    let target;
    try {
      target = statSync(p);
    } catch (err) {
      if (p.endsWith(ext)) others.push(unreadable(p, err));
      continue;
    }
    if (target.isDirectory()) visit(p);
    else if (!p.endsWith(ext)) continue;
    else if (target.isFile()) out.push(p);
    else others.push(notAFile(p));
  }
  return out.sort();
}

const notAFile = (f: string): InputError =>
  new InputError(f, undefined, 'bad-argument', 'not a regular file (a pipe, socket or device): left out');

const unreadable = (f: string, e: unknown): InputError =>
  new InputError(f, undefined, 'not-found', `cannot be read (${(e as { code?: string }).code ?? String(e)})`);

/** Whether `path` is a regular file (false for a folder, a missing or an inaccessible name). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export const bytesOf = (path: string): Uint8Array => {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

export interface TreeFile {
  /** Relative to the folder, or the entry's path in the archive. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Reads the file again (folders only), so that a caller may let its bytes go and come back. */
  readonly reload?: () => Uint8Array;
}

/**
 * The files ending in `ext` under a folder or in an archive, with what the archive got wrong.
 * With `lazy`, a folder's files are read only when their `bytes` are asked for, and again at
 * each asking: for a caller that reads each file once, so that they are never all in memory.
 */
export async function filesOf(
  path: string,
  ext: string,
  limits: ArchiveLimits,
  { lazy = false }: { lazy?: boolean } = {},
): Promise<{ files: TreeFile[]; problems: InputError[] }> {
  if (statSync(path).isDirectory()) {
    const files: TreeFile[] = [];
    const problems: InputError[] = [];
    for (const f of treeFiles(path, ext, problems)) {
      const name = relative(path, f);
      // a file that cannot be read (a dangling link, no permission, gone since the listing)
      // is a problem for that file, not the end of the report
      const reload = () => {
        try {
          return bytesOf(f);
        } catch (e) {
          throw unreadable(f, e);
        }
      };
      try {
        if (!lazy) files.push({ name, bytes: reload(), reload });
        else {
          // found readable now, read when used (and what fails then is a problem there)
          closeSync(openSync(f, 'r'));
          files.push({
            name,
            get bytes() {
              return reload();
            },
            reload,
          });
        }
      } catch (e) {
        problems.push(e instanceof InputError ? e : unreadable(f, e));
      }
    }
    return { files, problems };
  }
  const bytes = bytesOf(path);
  const { archiveKind, unpackArchive } = await archives();
  if (archiveKind(bytes, path) === undefined)
    throw new InputError(path, 0, 'bad-magic', 'neither a folder nor a zip, tar or gzip archive');
  const r = await unpackArchive(bytes, path, limits);
  const files = r.entries
    .filter((e) => e.path.endsWith(ext))
    .map((e) => ({ name: e.path, bytes: e.bytes }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, problems: r.problems };
}

/** A core image's bytes; a gzip-compressed one is inflated within the --max-unpacked limit. */
export async function imageOf(path: string, limits: ArchiveLimits): Promise<Uint8Array> {
  const bytes = bytesOf(path);
  // gzip magic: only then the archive code
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const { archiveKind, gunzip } = await archives();
  return archiveKind(bytes, path) === 'gzip' ? gunzip(bytes, path, limits.maxTotalBytes) : bytes;
}
