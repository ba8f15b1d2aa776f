/**
 * checkGcda (what pairing reads of a .gcda) refuses exactly what readGcda refuses, with the
 * same error, and gives the same header: on every fixture's reference .gcda, cut at every
 * word and with bytes changed at random (seeded).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkGcda, readGcda } from '../../src/gcov/gcda-reader';
import { fixturesRoot, listFixtures, walkFiles } from '../helpers/fixtures';

/** The outcome of a reader: the header's fields, or the error's text. */
function outcome(read: () => { stamp: number; checksum: number | undefined; little: boolean }): string {
  try {
    const { stamp, checksum, little } = read();
    return JSON.stringify({ stamp, checksum, little });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Checks both agree; returns whether they refused the bytes. */
const same = (bytes: Uint8Array): boolean => {
  const strict = outcome(() => readGcda(bytes, 'x.gcda'));
  expect(outcome(() => checkGcda(bytes, 'x.gcda'))).toBe(strict);
  return strict.startsWith('error: ');
};

/** xorshift32: the same changes on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('checkGcda', () => {
  for (const name of listFixtures()) {
    const files = walkFiles(join(fixturesRoot(), name, 'ref')).filter((f) => f.endsWith('.gcda'));
    it(`${name}: same header and same refusals as readGcda (${files.length} files)`, () => {
      expect(files.length).toBeGreaterThan(0);
      const next = random(0x9e3779b9);
      let refused = 0;
      for (const f of files) {
        const bytes = new Uint8Array(readFileSync(f));
        expect(same(bytes)).toBe(false);
        for (let end = 0; end < bytes.length; end += 4) if (same(bytes.subarray(0, end))) refused++;
        for (let k = 0; k < 64; k++) {
          const b = bytes.slice();
          const at = Math.floor(next() * b.length);
          b[at] = Math.floor(next() * 256);
          if (same(b)) refused++;
        }
      }
      expect(refused).toBeGreaterThan(files.length);
    });
  }
});
