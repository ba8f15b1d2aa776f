/**
 * Every .gcda we write from a real core image is byte-identical to the one libgcov of the
 * same compiler wrote at the end of the very same run (committed fixtures; the
 * conformance suite repeats this on freshly built ones).
 */
import { describe, expect, it } from 'vitest';
import { extractImage } from '../../src/gcov/extract';
import { decodeVersion } from '../../src/gcov/version';
import { listFixtures, loadFixture } from '../helpers/fixtures';
import { expectSameGcda } from '../helpers/compare';

describe.each(listFixtures())('%s', (config) => {
  const fx = loadFixture(config);

  it('writes every .gcda byte-identical to libgcov', () => {
    const r = extractImage(fx.image, 'image.bin');
    expect(r.problems.map((p) => p.message)).toEqual([]);
    expectSameGcda(r.files, fx.ref);
  });

  it('detects the target and base the run reported', () => {
    const d = extractImage(fx.image, 'image.bin').detection;
    expect(d.target.wordSize).toBe(fx.meta.wordSize);
    expect(d.target.little).toBe(fx.meta.endian === 'little');
    expect(d.base).toBe(BigInt(fx.meta.base));
  });

  it('reads the compiler version gcc reports', () => {
    const r = extractImage(fx.image, 'image.bin');
    const [major, minor] = fx.meta.gcc.split('.').map(Number);
    for (const rec of r.records) {
      expect(rec.version.major).toBe(major);
      expect(rec.version.minor).toBe(minor);
      expect(decodeVersion(rec.version.word)).toEqual(rec.version);
    }
  });

  it('finds the list through the ELF symbol when the image has no header', () => {
    const image = fx.image.slice();
    image.fill(0, 0, 8); // signature gone
    const r = extractImage(image, 'image.bin', { elf: { bytes: fx.elf, name: 'hv.elf' } });
    expect(r.detection.headSource).toBe('elf-symbol');
    expectSameGcda(r.files, fx.ref);
  });

  it('follows an explicit --head address with the base derived from the data', () => {
    const head = extractImage(fx.image, 'image.bin').detection.headAddress!;
    const image = fx.image.slice();
    image.fill(0, 0, 8);
    const r = extractImage(image, 'image.bin', { head });
    expect(r.detection.base).toBe(BigInt(fx.meta.base));
    expectSameGcda(r.files, fx.ref);
  });

  it('finds every record by scanning when nothing else is known', () => {
    const image = fx.image.slice();
    image.fill(0, 0, 8);
    const r = extractImage(image, 'image.bin', { scan: true });
    expect(r.detection.base).toBe(BigInt(fx.meta.base));
    expectSameGcda(r.files, fx.ref);
  });
});
