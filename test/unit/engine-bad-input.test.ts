/**
 * Hostile .gcno/.gcda input to the coverage engine: mutated and truncated real files
 * either give a result or an InputError, never another exception, and never hang.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles } from '../../src/model/gcov-json';
import { fixturesRoot, type FixtureMeta } from '../helpers/fixtures';

function load(config: string, rel: string): { gcno: Uint8Array; gcda: Uint8Array } {
  const dir = join(fixturesRoot(), config);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
  return {
    gcno: new Uint8Array(readFileSync(join(dir, 'gcno', rel + '.gcno'))),
    gcda: new Uint8Array(readFileSync(join(dir, 'ref', meta.buildDir, 'obj', rel + '.gcda'))),
  };
}

function engine(gcno: Uint8Array, gcda: Uint8Array): void {
  try {
    const cov = computeCoverage(readGcno(gcno, 'x.gcno'), readGcda(gcda, 'x.gcda'), 'x.gcda');
    for (const p of cov.problems) expect(p).toBeInstanceOf(InputError);
    gcovJsonFiles(cov, { conditions: true });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
}

const mutate = (bytes: Uint8Array, edits: [number, number][], cut: number | undefined): Uint8Array => {
  const out = bytes.slice(0, cut ?? bytes.length);
  for (const [at, v] of edits) if (at < out.length) out[at] = v;
  return out;
};

// word lengths and padded strings (9), byte lengths (12, big-endian .gcda), conditions and paths (15)
describe.each([
  ['gcc9-x86_64-O0', 'control'],
  ['gcc12-powerpc-O2', 'control'],
  ['gcc15-x86_64-O2', 'paging'],
])('%s %s', (config, rel) => {
  const fx = load(config, rel);

  it('reads the unmodified files', () => {
    const cov = computeCoverage(readGcno(fx.gcno, 'x.gcno'), readGcda(fx.gcda, 'x.gcda'), 'x.gcda');
    expect(cov.problems).toEqual([]);
  });

  for (const which of ['gcno', 'gcda'] as const)
    it(`never hangs or throws anything but InputError on a mutated .${which}`, () => {
      const target = fx[which];
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(target.length - 1), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 12,
          }),
          fc.option(fc.nat(target.length), { nil: undefined }),
          (edits, cut) => {
            const bad = mutate(target, edits, cut);
            if (which === 'gcno') engine(bad, fx.gcda);
            else engine(fx.gcno, bad);
          },
        ),
        { numRuns: 300, seed: 7 },
      );
    }, 60_000);

  it('names the problem of a truncated .gcno', () => {
    const e = (() => {
      try {
        readGcno(fx.gcno.slice(0, 30), 'x.gcno');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('truncated');
  });
});
