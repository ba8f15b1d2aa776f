/** What the fuzzer and the regression replay count as a failure, besides an exception. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An input slower than this (on a second run too) is a failure. */
export const SLOW_MS = 5000;
/** Heap growth allowed while one input runs: 64 MiB plus 512 bytes per input byte. */
export const MEMORY_BOUND = (len: number): number => 64 * 2 ** 20 + 512 * len;

/** Inputs committed under test/fuzz/corpus/<target>/ (crash inputs and hard cases), by file name. */
export function committedCorpus(root: string, target: string): { name: string; bytes: Uint8Array }[] {
  const dir = join(root, 'test/fuzz/corpus', target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
}
