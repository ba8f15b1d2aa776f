/**
 * readWhole: a large file read by this thread and Node's thread pool, each a half, gives the
 * file's bytes exactly (both halves, the seam between them, an odd size), as a small one does.
 */
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWhole, SPLIT_MIN } from '../../src/cli/read-whole';

describe('readWhole', () => {
  it.each([1000, SPLIT_MIN - 1, SPLIT_MIN + 12_345])('reads %i bytes exactly', async (size) => {
    const bytes = new Uint8Array(size);
    // a pattern that differs at every offset a half could start or end at
    const words = new Uint32Array(bytes.buffer, 0, size >>> 2);
    for (let i = 0; i < words.length; i++) words[i] = Math.imul(i, 2654435761) >>> 0;
    bytes[size - 1] = 0xa5;
    const path = join(mkdtempSync(join(tmpdir(), 'hvcov-read-')), 'image.bin');
    writeFileSync(path, bytes);
    const fd = openSync(path, 'r');
    try {
      const got = await readWhole(fd, new Uint8Array(size));
      expect(got.length).toBe(size);
      expect(Buffer.compare(got, bytes)).toBe(0);
    } finally {
      closeSync(fd);
    }
  });

  it.each([
    ['in the second half', 2],
    ['in the first half', 4],
  ])('stops where a file ends that shrank after its size was taken: %s', async (_, times) => {
    const bytes = new Uint8Array(SPLIT_MIN + 100).fill(7);
    const path = join(mkdtempSync(join(tmpdir(), 'hvcov-read-')), 'image.bin');
    writeFileSync(path, bytes);
    const fd = openSync(path, 'r');
    try {
      const got = await readWhole(fd, new Uint8Array(SPLIT_MIN * times));
      expect(got.length).toBe(bytes.length);
      expect(Buffer.compare(got, bytes)).toBe(0);
    } finally {
      closeSync(fd);
    }
  });
});
