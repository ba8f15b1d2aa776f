/**
 * The CLI's two-thread writer: files handed to the worker (image views sent as offsets,
 * other pieces copied to shared memory) come out as libgcov wrote them for a real image.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as workerThreads from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { FileWriter, sharedBytes } from '../../src/cli/write-pool';
import { extractImage } from '../../src/gcov/extract';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

describe.each(listFixtures().filter((c) => c.includes('x86_64-O0') || c.includes('powerpc')))(
  '%s',
  (config) => {
    const fx = loadFixture(config);

    it('writes every file through the worker byte-identical to libgcov', async () => {
      const image = sharedBytes(fx.image.length);
      image.set(fx.image);
      const out = mkdtempSync(join(tmpdir(), 'hvcov-pool-'));
      const writer = new FileWriter(workerThreads);
      writer.setImage(image);
      let views = 0;
      const r = extractImage(
        image,
        'image.bin',
        {},
        (f) => {
          for (const p of f.parts!) if (p.buffer === image.buffer) views++;
          writer.write(out + f.path, f.parts!);
        },
        { keepFiles: false, parts: true, viewMin: 8 },
      );
      await writer.close();
      expect(r.problems).toEqual([]);
      if (r.detection.target.little) expect(views).toBeGreaterThan(0);
      const written = walkFiles(out).map((f) => '/' + relative(out, f));
      expect(written.sort()).toEqual([...fx.ref.keys()].sort());
      for (const f of written) expect(new Uint8Array(readFileSync(join(out, f)))).toEqual(fx.ref.get(f));
    });

    it('reports a write error from the worker', async () => {
      const image = sharedBytes(fx.image.length);
      image.set(fx.image);
      const writer = new FileWriter(workerThreads);
      writer.setImage(image);
      // a path under a regular file cannot be created
      const file = join(fx.dir, 'image.bin');
      extractImage(image, 'image.bin', {}, (f) => writer.write(file + f.path, f.parts!), {
        keepFiles: false,
        parts: true,
      });
      await expect(writer.close()).rejects.toMatchObject({ code: 'ENOTDIR' });
    });
  },
);

describe('batches in shared memory', () => {
  it('writes files of any size and name: big pieces end batches early or stay on the main thread', async () => {
    const image = sharedBytes(1 << 16);
    for (let i = 0; i < image.length; i++) image[i] = (i * 7) & 0xff;
    const out = mkdtempSync(join(tmpdir(), 'hvcov-pool-'));
    const writer = new FileWriter(workerThreads);
    writer.setImage(image);
    const expected = new Map<string, Uint8Array>();
    // sizes around the 2 MiB a slot holds: small, half a slot (two do not fit one), more than a slot
    const sizes = [10, 1_500_000, 12, 1_200_000, 3_000_000, 40, 2_097_000, 7];
    for (let i = 0; i < 40; i++) {
      const size = sizes[i % sizes.length]!;
      const own = new Uint8Array(size).fill(i);
      own[size - 1] = 255 - i;
      const view = image.subarray(i * 16, i * 16 + 100);
      const name = `${out}/d${i % 7}/é${i}-ü.gcda`; // not ASCII: the path is encoded as Node encodes it
      writer.write(name, [own, view, own.subarray(0, 3)]);
      const whole = new Uint8Array(size + 103);
      whole.set(own);
      whole.set(view, size);
      whole.set(own.subarray(0, 3), size + 100);
      expected.set(name, whole);
    }
    await writer.close();
    // Buffer.compare: toEqual walks megabytes element by element
    for (const [name, bytes] of expected) expect(Buffer.compare(readFileSync(name), bytes), name).toBe(0);
    expect(readdirSync(join(out, 'd0')).sort()).toEqual(
      [...expected.keys()]
        .filter((n) => n.includes('/d0/'))
        .map((n) => n.slice(n.lastIndexOf('/') + 1))
        .sort(),
    );
  });
});
