/**
 * Reads a large file into memory from two threads. Most of a large read's time is the kernel
 * faulting in fresh pages of the buffer, and faults on different pages run in parallel: an
 * 85 MB image takes 110-130 ms from one thread, 60-80 ms when Node's own thread pool reads
 * the second half (an `fs.read` request, which needs no worker start-up) while this thread
 * reads the first.
 */
import { read, readSync } from 'node:fs';

/** Below this a second thread costs more than it saves. */
export const SPLIT_MIN = 16 << 20;

/** Fills `into` from the open file `fd` at offset 0; the result is shorter if the file shrank meanwhile. */
export async function readWhole(fd: number, into: Uint8Array): Promise<Uint8Array> {
  const size = into.length;
  if (size < SPLIT_MIN) return into.subarray(0, readRange(fd, into, 0, size));
  const mid = Math.floor(size / 2 / 4096) * 4096;
  const second = new Promise<number>((resolve, reject) => {
    const go = (at: number): void =>
      read(fd, into, at, size - at, at, (e, n) => {
        if (e) reject(e);
        else if (n === 0 || at + n >= size) resolve(at + n);
        else go(at + n);
      });
    go(mid);
  });
  let firstEnd: number;
  try {
    firstEnd = readRange(fd, into, 0, mid);
  } catch (e) {
    await second.catch(() => undefined); // the pool must be done with the buffer and fd
    throw e;
  }
  const secondEnd = await second;
  return into.subarray(0, firstEnd < mid ? firstEnd : secondEnd);
}

/** Reads [from, to) synchronously; returns where the data ended (`to` unless the file is shorter). */
function readRange(fd: number, into: Uint8Array, from: number, to: number): number {
  let at = from;
  while (at < to) {
    const n = readSync(fd, into, at, to - at, at);
    if (n === 0) break;
    at += n;
  }
  return at;
}
