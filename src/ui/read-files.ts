/**
 * Reading what the user picked: several files at once, so one read at a time does not pace a
 * drop of a whole build tree (each read is asynchronous: the page's thread only starts it).
 */
import { formatSize } from '../model/limits';
import { isOutOfMemory } from '../model/out-of-memory';
import type { InputFile, Progress } from '../model/session';
import type { Picked } from './collect';

/** Reads in flight at once: each waits mostly on the browser's file I/O, not on this thread. */
const PARALLEL = 64;

/** A picked file's bytes; a file the browser cannot hold in memory is named with its size. */
export async function readPicked(p: Picked): Promise<Uint8Array> {
  try {
    return new Uint8Array(await p.file.arrayBuffer());
  } catch (e) {
    if (isOutOfMemory(e) || (e instanceof DOMException && e.name === 'NotReadableError'))
      throw new Error(
        `not enough memory to read ${p.path} (${formatSize(p.file.size)}): give it on its own, or use the hvcov command line`,
        { cause: e },
      );
    throw e;
  }
}

/** Every picked file's bytes, in the order given. */
export async function readAllPicked(
  picked: readonly Picked[],
  onProgress: (p: Progress) => void,
): Promise<InputFile[]> {
  const out: InputFile[] = new Array<InputFile>(picked.length);
  let next = 0;
  let done = 0;
  const reader = async () => {
    while (next < picked.length) {
      const i = next++;
      const p = picked[i]!;
      out[i] = { path: p.path, bytes: await readPicked(p) };
      onProgress({ stage: 'unpack', done: ++done, total: picked.length, label: `reading ${p.path}` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, picked.length) }, reader));
  return out;
}
