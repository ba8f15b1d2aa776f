/** Sizes as people write them: the limits' text in messages, the CLI and the app. */

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
