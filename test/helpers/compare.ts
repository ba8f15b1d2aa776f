import { expect } from 'vitest';
import type { GcdaFile } from '../../src/gcov/gcda-writer';

/** Same set of paths, and each file byte for byte (a hex window around the first difference). */
export function expectSameGcda(
  files: readonly GcdaFile[],
  ref: Map<string, Uint8Array>,
  opts: { ignoreSumMax?: boolean } = {},
): void {
  expect(files.map((f) => f.path).sort()).toEqual([...ref.keys()].sort());
  for (const f of files) {
    let want = ref.get(f.path)!;
    if (opts.ignoreSumMax) {
      // sum_max is the whole program's largest counter: with records skipped it can differ
      const at = f.record.format.infoChecksum ? 28 : 24;
      want = want.slice();
      want.set(f.bytes.subarray(at, at + 4), at);
    }
    const at = firstDifference(f.bytes, want);
    if (at >= 0) {
      const win = (b: Uint8Array) => Buffer.from(b.subarray(Math.max(0, at - 8), at + 24)).toString('hex');
      expect.fail(
        `${f.path}: differs at byte ${at} (ours ${f.bytes.length} bytes, libgcov ${want.length})\n ours:    ${win(f.bytes)}\n libgcov: ${win(want)}`,
      );
    }
  }
}

export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
