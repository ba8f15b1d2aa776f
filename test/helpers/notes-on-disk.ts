/** A fixture's .gcno files as inputs that can be read again (as `hvcov report` lists a folder). */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../../src/gcov/errors';
import type { DataInput, NotesInput } from '../../src/model/report';
import { loadFixture, walkFiles } from './fixtures';

/**
 * The fixture's notes, each with a `reload` that counts its readings in `reads` (and reads
 * with `reload(file, index)` when given, to change or fail a file), and its reference data.
 */
export function notesOnDisk(config: string, reload?: (f: string, i: number) => Uint8Array) {
  const fx = loadFixture(config);
  const gcnoDir = join(fx.dir, 'gcno');
  const reads: string[] = [];
  const notes: NotesInput[] = walkFiles(gcnoDir)
    .filter((f) => f.endsWith('.gcno'))
    .map((f, i) => ({
      name: relative(gcnoDir, f),
      bytes: new Uint8Array(readFileSync(f)),
      reload: () => {
        reads.push(relative(gcnoDir, f));
        return reload ? reload(f, i) : new Uint8Array(readFileSync(f));
      },
    }));
  const data: DataInput[] = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
  return { fx, notes, data, reads };
}

/** A `reload` for notesOnDisk under which the first .gcno can no longer be read. */
export function firstGone(f: string, i: number): Uint8Array {
  if (i === 0) throw new InputError(f, undefined, 'not-found', 'cannot be read: gone');
  return new Uint8Array(readFileSync(f));
}

/** A `reload` for notesOnDisk under which the second .gcno holds the first one's bytes (another stamp). */
export const secondIsFirst =
  (config: string, first: string) =>
  (f: string, i: number): Uint8Array =>
    new Uint8Array(readFileSync(i === 1 ? join(loadFixture(config).dir, 'gcno', first) : f));
