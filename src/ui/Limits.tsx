/**
 * The bounds on what one dropped archive may unpack to, stated where files are dropped,
 * and a small control to change them (the CLI's --max-unpacked and --max-entries).
 */
import { useState } from 'react';
import { DEFAULT_LIMITS, formatSize, type ArchiveLimits } from '../model/limits';

const MIB = 1 << 20;

/**
 * 100000 → "100,000", as toLocaleString('en') would write it; the first toLocaleString of a
 * page loads ICU's number formats, some 20 ms on the main thread.
 */
const groupDigits = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function Limits({
  limits,
  onChange,
}: {
  limits: ArchiveLimits;
  onChange: (l: ArchiveLimits) => void;
}) {
  const [mib, setMib] = useState(String(Math.round(limits.maxTotalBytes / MIB)));
  const [entries, setEntries] = useState(String(limits.maxEntries));
  const apply = (m: string, e: string) => {
    const bytes = Math.floor(Number(m)) * MIB;
    const count = Math.floor(Number(e));
    if (Number.isSafeInteger(bytes) && bytes > 0 && Number.isSafeInteger(count) && count > 0)
      onChange({ maxTotalBytes: bytes, maxEntries: count });
  };
  return (
    <div className="limits" data-testid="limits">
      <p className="hint" id="limits-note">
        Each archive, with the archives inside it, may unpack to at most {formatSize(limits.maxTotalBytes)}{' '}
        and {groupDigits(limits.maxEntries)} files.
      </p>
      <details>
        <summary>Limits</summary>
        <label>
          Most unpacked per archive (MiB){' '}
          <input
            type="number"
            min={1}
            value={mib}
            aria-describedby="limits-note"
            onChange={(ev) => {
              setMib(ev.currentTarget.value);
              apply(ev.currentTarget.value, entries);
            }}
          />
        </label>{' '}
        <label>
          Most files per archive{' '}
          <input
            type="number"
            min={1}
            value={entries}
            aria-describedby="limits-note"
            onChange={(ev) => {
              setEntries(ev.currentTarget.value);
              apply(mib, ev.currentTarget.value);
            }}
          />
        </label>{' '}
        <button
          type="button"
          onClick={() => {
            setMib(String(DEFAULT_LIMITS.maxTotalBytes / MIB));
            setEntries(String(DEFAULT_LIMITS.maxEntries));
            onChange(DEFAULT_LIMITS);
          }}
        >
          Defaults
        </button>
      </details>
    </div>
  );
}
