/**
 * Replays every input committed under test/fuzz/corpus/<target>/ (the crash inputs the
 * fuzzer found, and hard cases it reached): each one is refused with an InputError or
 * accepted with every invariant of its target holding, within the fuzzer's memory bound.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../../src/gcov/errors';
import { committedCorpus, MEMORY_BOUND } from '../fuzz/bounds';
import { TARGETS } from '../fuzz/targets';

const heapNow = (): number => getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;

describe.each(TARGETS.map((t) => [t.name, t] as const))('fuzz corpus of %s', (name, target) => {
  const corpus = committedCorpus(process.cwd(), name);
  it('has committed inputs', () => {
    expect(corpus.length).toBeGreaterThan(0);
  });
  it.each(corpus.map((c) => [c.name, c.bytes] as const))(
    '%s: InputError or success, within bounds',
    async (_, bytes) => {
      const before = heapNow();
      let outcome = 'success';
      try {
        await target.run(bytes);
      } catch (e) {
        if (!isInputError(e)) throw e;
        outcome = 'InputError';
      }
      expect(['success', 'InputError']).toContain(outcome);
      expect(heapNow() - before).toBeLessThanOrEqual(MEMORY_BOUND(bytes.length));
    },
  );
});
