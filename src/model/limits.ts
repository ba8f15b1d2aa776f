/**
 * The bounds on what one archive may unpack to (the CLI's --max-unpacked/--max-entries, the
 * app's Limits), and sizes as people write them. No code here, so the page can show the
 * limits without loading the archive readers.
 */

export interface ArchiveLimits {
  /** Most entries taken from one archive (directories and links not counted). */
  readonly maxEntries: number;
  /** Most bytes unpacked from one archive, all entries together (and a gzip stream's output). */
  readonly maxTotalBytes: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = { maxEntries: 100_000, maxTotalBytes: 1 << 30 };

/** Archives inside archives are unpacked this many levels deep; deeper ones are kept as files. */
export const MAX_DEPTH = 4;

/** Longest entry name taken (characters); longer ones are skipped as damaged. */
export const MAX_NAME = 4096;

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** "1 GiB", "1.5 MiB", "12 bytes": for limits and sizes in messages. */
export function formatSize(n: number): string {
  let u = 0;
  let v = n;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : Number(v.toFixed(v >= 100 ? 0 : 1))} ${UNITS[u]}`;
}

/** "2G", "512M", "1.5GiB", "100000": bytes (binary units), or undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b|bytes)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = m[2] ? 'kmgt'.indexOf(m[2].toLowerCase()) + 1 : 0;
  const v = Math.floor(Number(m[1]) * 1024 ** unit);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}
