/**
 * Broken images: each problem is a typed error naming the record, offset and reason;
 * every record that can still be read safely is written, byte-identical to libgcov's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, type ProblemCode } from '../../src/gcov/errors';
import { extractImage, type ExtractResult } from '../../src/gcov/extract';
import { encodeVersion } from '../../src/gcov/version';
import { isPlaceholder, type FunctionData, type InfoRecord } from '../../src/gcov/walker';
import { listFixtures, loadFixture, type Fixture } from '../helpers/fixtures';
import { expectSameGcda } from '../helpers/compare';

const configs = listFixtures();
const pick = (pred: (c: string) => boolean) => configs.find(pred)!;
const CASES = [
  pick((c) => c.includes('gcc12-x86_64-O0')),
  pick((c) => c.includes('armhf')),
  pick((c) => c.includes('powerpc')),
];

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

/** A writable copy of the image plus helpers to poke target words. */
function patchable(fx: Fixture) {
  const image = fx.image.slice();
  const good = extractImage(fx.image, 'core');
  const { target } = good.detection;
  const view = new DataView(image.buffer);
  const putWord = (off: number, v: bigint) =>
    target.wordSize === 8
      ? view.setBigUint64(off, v, target.little)
      : view.setUint32(off, Number(v), target.little);
  const put32 = (off: number, v: number) => view.setUint32(off, v, target.little);
  return { image, good, target, putWord, put32, base: good.detection.base };
}

/**
 * All records except `skipped` are written and identical to libgcov's, but for sum_max
 * when a record was skipped (it is a whole-program figure), which is then warned about.
 */
function expectOthersIntact(r: ExtractResult, fx: Fixture, skipped: InfoRecord[]) {
  const ref = new Map(fx.ref);
  for (const s of skipped) ref.delete(s.filename);
  const partial = r.files.length < fx.ref.size;
  expectSameGcda(r.files, ref, { ignoreSumMax: partial });
  if (partial) expect(r.warnings.join('\n')).toMatch(/sum_max.*skipped record/);
}

function expectProblem(r: ExtractResult, code: ProblemCode, text: RegExp) {
  const p = r.problems.find((x) => x.code === code);
  expect(p, `problem ${code} in ${r.problems.map((x) => x.message).join(' | ')}`).toBeDefined();
  expect(p!.message).toMatch(text);
  expect(p!.file).toBe('core');
}

describe.each(CASES)('%s', (config) => {
  const fx = loadFixture(config);

  it('refuses an image too short to hold anything', () => {
    const e = thrown(() => extractImage(fx.image.slice(0, 16), 'core'));
    expect(e.code).toBe('truncated');
    expect(e.file).toBe('core');
  });

  it('names a missing signature and says what to give instead', () => {
    const image = fx.image.slice();
    image[0] = 0x58;
    const e = thrown(() => extractImage(image, 'core'));
    expect(e.code).toBe('bad-signature');
    expect(e.message).toMatch(/--head|--elf|--scan/);
  });

  it('says so when gcov_info_head is NULL', () => {
    const p = patchable(fx);
    p.putWord(p.target.wordSize === 8 ? 40 : 24, 0n);
    const e = thrown(() => extractImage(p.image, 'core'));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/NULL/);
  });

  it('stops a looping next chain and keeps every record', () => {
    const p = patchable(fx);
    const last = p.good.records[p.good.records.length - 1]!;
    p.putWord(last.offset + p.target.wordSize, p.base + BigInt(p.good.records[0]!.offset));
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'pointer-loop', /loops back/);
    expectOthersIntact(r, fx, []);
  });

  it('stops at a next pointer outside the image and keeps what came before', () => {
    const p = patchable(fx);
    const second = p.good.records[1]!;
    p.putWord(second.offset + p.target.wordSize, p.base + BigInt(fx.image.length + 4096));
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'bad-pointer', /outside the image/);
    expectOthersIntact(r, fx, p.good.records.slice(2));
  });

  it('skips a record whose filename points outside the image', () => {
    const p = patchable(fx);
    const rec = p.good.records[1]!;
    p.putWord(rec.offset + rec.layout.filename, p.base + BigInt(fx.image.length * 2));
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'bad-pointer', /gcov_info #1 .*filename pointer/);
    expectOthersIntact(r, fx, [rec]);
  });

  it('skips a record with an absurd n_functions', () => {
    const p = patchable(fx);
    const rec = p.good.records[0]!;
    p.put32(rec.offset + rec.layout.nFunctions, 0x7fffffff);
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'absurd-count', /n_functions 2147483647/);
    expectOthersIntact(r, fx, [rec]);
  });

  it('skips a record with an absurd counter count', () => {
    const p = patchable(fx);
    const rec = p.good.records.find((x) => x.functions.some((f) => !isPlaceholder(f)))!;
    const fn = rec.functions.find((f) => !isPlaceholder(f)) as FunctionData;
    p.put32(fn.offset + rec.layout.fnCtrs + rec.layout.ctrNum, 0x10000000);
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'absurd-count', /counters: 268435456 values/);
    expectOthersIntact(r, fx, [rec]);
  });

  it('skips a record with an unknown version word', () => {
    const p = patchable(fx);
    const rec = p.good.records[2]!;
    p.put32(rec.offset, encodeVersion(16, 1)); // a release whose format is not known
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'bad-version', /GCC 16.1 .* not a known format/);
    expectOthersIntact(r, fx, [rec]);
  });

  it('skips a record whose version differs from the rest of the list', () => {
    const p = patchable(fx);
    const rec = p.good.records[1]!;
    // another release with the very same struct layout, so only the version tells
    const other = rec.version.major === 12 ? encodeVersion(13, 1) : encodeVersion(12, 2);
    p.put32(rec.offset, other);
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'mixed-versions', /gcov_info #1 .* but the list is GCC/);
    expectOthersIntact(r, fx, [rec]);
  });

  // a hang fails by the test's timeout: the walker bounds its work by the image, not by time
  it('never hangs or throws anything but InputError on mutated images', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(fx.image.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 24,
        }),
        fc.option(fc.nat(fx.image.length), { nil: undefined }),
        (edits, cut) => {
          const image = fx.image.slice(0, cut ?? fx.image.length);
          for (const [at, v] of edits) if (at < image.length) image[at] = v;
          try {
            const r = extractImage(image, 'core');
            for (const p of r.problems) expect(p).toBeInstanceOf(InputError);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  }, 60_000);
});

describe('TOPN lists', () => {
  const fx = loadFixture(pick((c) => c.startsWith('gcc12-x86_64-O2-values')));

  it('reports a TOPN list that loops and keeps the other records', () => {
    const p = patchable(fx);
    let done: InfoRecord | undefined;
    for (const rec of p.good.records) {
      for (const f of rec.functions) {
        if (isPlaceholder(f) || done) continue;
        const site = f.counters.flatMap((c) => c.sites ?? []).find((s) => s.nodes.length > 0);
        if (!site) continue;
        const node = site.nodes[site.nodes.length - 1]!;
        p.putWord(node + rec.layout.kvpNext, p.base + BigInt(site.nodes[0]!));
        done = rec;
      }
    }
    expect(done, 'the values fixture has a TOPN list').toBeDefined();
    const r = extractImage(p.image, 'core');
    expectProblem(r, 'pointer-loop', /TOPN list loops/);
    expectOthersIntact(r, fx, [done!]);
  });
});
