/**
 * The CLI's two-thread writer: files handed to the worker (image views sent as offsets,
 * other pieces copied to shared memory) come out as libgcov wrote them for a real image.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
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
