/**
 * Properties of the demangler that need no tool (its output is checked against c++filt and
 * gcov in test/conformance/demangle.test.ts): names that are not mangled give undefined,
 * and hostile input never throws and returns quickly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demangle } from '../../src/gcov/demangle';

/**
 * Runs demangle on `name` in both modes: it must not throw, and what it prints is bounded by its
 * step and output limits (a hang would fail by the test's timeout, not by a clock here).
 */
function bounded(name: string): string | undefined {
  const r = demangle(name);
  const v = demangle(name, { verbose: true });
  for (const s of [r, v]) if (s !== undefined) expect(s.length).toBeLessThanOrEqual(1 << 20);
  return r;
}

describe('demangle', () => {
  it('gives undefined for names that are not mangled', () => {
    for (const name of [
      '',
      'main',
      'hv_entry',
      '_start',
      '__gcov_init',
      '_GLOBAL__sub_I_edge.cpp',
      '_Zfoo',
      '_Z',
      'Z3foov',
      '__Z3foov',
      '_R3foo',
      '_D3foo',
      '.LC0',
    ]) {
      expect(demangle(name), name).toBeUndefined();
    }
  });

  it('gives undefined for mangled names cut short or with trailing garbage', () => {
    for (const name of ['_Z3fo', '_ZN3foo3barEvX', '_Z3foovv(', '_Z1fIiEvT0_', '_Z1fS_']) {
      expect(bounded(name), name).toBeUndefined();
    }
  });

  it('demangles a plain function (a smoke check, c++filt decides the rest)', () => {
    expect(demangle('_Z3fooi')).toBe('foo(int)');
  });

  it('survives very long names', () => {
    bounded('_Z' + 'a'.repeat(1 << 20));
    bounded('_Z1fP' + 'P'.repeat(200_000) + 'i');
    bounded('_Z1f' + 'i'.repeat(200_000));
    bounded('_Z999999999999999999999a');
    bounded('_ZN' + '1a'.repeat(100_000) + 'Ev');
  });

  it('survives deep nesting', () => {
    bounded('_Z1f' + 'P'.repeat(100_000) + 'i');
    bounded('_Z1fI'.padEnd(100_000, 'I') + 'iE'.repeat(10) + 'v');
    bounded('_Z1f' + 'PFv'.repeat(20_000) + 'E'.repeat(20_000));
    bounded('_Z1fIXpl'.padEnd(50_000, 'ngLi1E') + 'EEvv');
    bounded('_ZZ'.repeat(10_000) + '1fv' + 'E1x'.repeat(10_000));
  });

  it('survives substitutions that double the output at every step', () => {
    // each S<n>_ names the previous pair, so the printed size grows as 2^n
    let name = '_Z1fIPi';
    const seq = (n: number): string => (n === 0 ? 'S_' : `S${n.toString(36).toUpperCase()}_`);
    for (let i = 0; i < 60; i++) name += `St4pairI${seq(i)}${seq(i)}E`;
    name += 'Evv';
    const r = bounded(name);
    expect(r === undefined || r.length < 1 << 20).toBe(true);
  });

  it('survives template parameters and substitutions that refer to themselves or to nothing', () => {
    for (const name of [
      '_Z1fIT_EvT_',
      '_Z1fIS_EvS_',
      '_Z1fIJT_EEvDpT_',
      '_Z1fIJDpT_EEvDpT_',
      '_Z1fIT_IT_EEvT_',
      '_ZN1AcvT_IT_EEv',
      '_Z1fIiEvDpDpDpT_',
      '_Z1fIiEDTsZT_ES0_',
      '_ZZ1fvENKUlT_T0_E_clIT_EEDaS_',
    ]) {
      bounded(name);
    }
  });

  it('never throws on random input', () => {
    const alphabet = fc.constantFrom(...'_ZNSTIEJLXDdpfvilcKRPOMFAUBCt0123456789'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (chars) => {
        const r = demangle('_Z' + chars.join(''));
        expect(r === undefined || typeof r === 'string').toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
