/** What the user says overrides what detection finds; a wrong override is a clear error. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { extractImage } from '../../src/gcov/extract';
import { expectSameGcda } from '../helpers/compare';
import { listFixtures, loadFixture } from '../helpers/fixtures';

const arm = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const x86 = loadFixture(listFixtures().find((c) => c.startsWith('gcc13-x86_64'))!);
const s390 = loadFixture(listFixtures().find((c) => c.includes('s390x'))!);

function error(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('detection overrides', () => {
  it('--arch arm gives the same files and names the architecture', () => {
    const r = extractImage(arm.image, 'core', { arch: 'arm' });
    expect(r.detection.arch).toBe('arm');
    expect(r.detection.baseSource).toBe('jailhouse-default');
    expectSameGcda(r.files, arm.ref);
  });

  it('--base equal to the real base is used as given', () => {
    const r = extractImage(x86.image, 'core', { base: BigInt(x86.meta.base) });
    expect(r.detection.baseSource).toBe('option');
    expectSameGcda(r.files, x86.ref);
  });

  it('a wrong --base is refused, not guessed around', () => {
    const e = error(() => extractImage(x86.image, 'core', { base: BigInt(x86.meta.base) + 0x1000n }));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/no gcov_info list could be read/);
  });

  it('--word-size 64 on a 32-bit image is refused', () => {
    expect(error(() => extractImage(arm.image, 'core', { wordSize: 8 })).code).toBe('not-found');
  });

  it('--endian little on a big-endian image is refused', () => {
    expect(error(() => extractImage(s390.image, 'core', { little: true })).code).toBe('not-found');
  });

  it('the ELF gives the target and the link address', () => {
    const r = extractImage(s390.image, 'core', { elf: { bytes: s390.elf, name: 'hv.elf' } });
    expect(r.detection.arch).toBe('s390x');
    expect(r.detection.target).toEqual({ wordSize: 8, little: false });
    expectSameGcda(r.files, s390.ref);
  });
});
